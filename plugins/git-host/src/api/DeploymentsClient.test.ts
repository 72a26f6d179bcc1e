import { DeploymentsClient } from './DeploymentsClient';

describe('DeploymentsClient', () => {
  const base = 'http://localhost:7007/api/deployments';
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
  };

  function clientReturning(body: unknown, status = 200) {
    const fetch = jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify(body), {
          status,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    return {
      fetch,
      client: new DeploymentsClient({ discoveryApi, fetchApi: { fetch } }),
    };
  }

  it("reads what a service's environments run", async () => {
    const current = { service: 'component:default/shop', environments: [] };
    const { client, fetch } = clientReturning(current);

    await expect(
      client.getCurrentDeployments('component:default/shop'),
    ).resolves.toEqual(current);
    expect(fetch).toHaveBeenCalledWith(
      `${base}/current?service=component%3Adefault%2Fshop`,
    );
  });

  it('lists the deployments of a service, of one environment if asked', async () => {
    const items = [{ id: 'd1' }];
    const { client, fetch } = clientReturning({ items });

    await expect(
      client.listDeployments({ service: 'component:default/shop', limit: 50 }),
    ).resolves.toEqual(items);
    await client.listDeployments({
      service: 'component:default/shop',
      environment: 'prod',
      limit: 1,
    });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${base}/deployments?service=component%3Adefault%2Fshop&limit=50`,
      `${base}/deployments?service=component%3Adefault%2Fshop&environment=prod&limit=1`,
    ]);
  });

  it('reads a deployment with its commits', async () => {
    const { client, fetch } = clientReturning({ id: 'd 1', commits: [] });

    await client.getDeployment('d 1');
    expect(fetch).toHaveBeenCalledWith(`${base}/deployments/d%201`);
  });

  it("passes the backend's error on as a ResponseError", async () => {
    const { client } = clientReturning(
      {
        error: { name: 'InputError', message: 'service is required' },
        response: { statusCode: 400 },
      },
      400,
    );

    await expect(client.getCurrentDeployments('')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
    });
  });
});
