import { DeliveryClient } from './DeliveryClient';

describe('DeliveryClient', () => {
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
      client: new DeliveryClient({ discoveryApi, fetchApi: { fetch } }),
    };
  }

  it('asks for the figures of a service, a team, a golden path or everyone', async () => {
    const metrics = { scope: { kind: 'service' } };
    const { client, fetch } = clientReturning(metrics);

    await expect(
      client.getMetrics({
        entity: 'component:default/shop',
        days: 30,
        environment: 'production',
      }),
    ).resolves.toEqual(metrics);
    await client.getMetrics({ entity: 'group:default/payments', days: 7 });
    await client.getMetrics({
      entity: 'template:default/typescript-service',
      templateVersion: 'v2',
      days: 90,
    });
    await client.getMetrics({ days: 30 });

    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${base}/metrics?entity=component%3Adefault%2Fshop&days=30&environment=production`,
      `${base}/metrics?entity=group%3Adefault%2Fpayments&days=7`,
      `${base}/metrics?entity=template%3Adefault%2Ftypescript-service&templateVersion=v2&days=90`,
      `${base}/metrics?days=30`,
    ]);
  });

  it('asks for the insights of a window and environment', async () => {
    const { client, fetch } = clientReturning({ teams: [] });

    await client.getInsights({ days: 90, environment: 'staging' });
    expect(fetch).toHaveBeenCalledWith(
      `${base}/insights?days=90&environment=staging`,
    );
  });

  it("lists a service's incidents", async () => {
    const items = [{ id: 'inc-1' }];
    const { client, fetch } = clientReturning({ items });

    await expect(
      client.listIncidents('component:default/shop'),
    ).resolves.toEqual(items);
    expect(fetch).toHaveBeenCalledWith(
      `${base}/incidents?service=component%3Adefault%2Fshop`,
    );
  });

  it('posts the incident a deployment caused, and its resolution', async () => {
    const { client, fetch } = clientReturning({ id: 'inc 1' }, 201);

    await expect(
      client.recordIncident('dep 4', {
        title: 'Checkout returns 500',
        severity: 'critical',
      }),
    ).resolves.toEqual({ id: 'inc 1' });
    await client.resolveIncident('inc 1', {
      resolvedAt: '2026-01-02T03:04:05.000Z',
    });
    await client.resolveIncident('inc 1');

    expect(fetch.mock.calls).toEqual([
      [
        `${base}/deployments/dep%204/incidents`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"title":"Checkout returns 500","severity":"critical"}',
        },
      ],
      [
        `${base}/incidents/inc%201/resolve`,
        expect.objectContaining({
          method: 'POST',
          body: '{"resolvedAt":"2026-01-02T03:04:05.000Z"}',
        }),
      ],
      [
        `${base}/incidents/inc%201/resolve`,
        expect.objectContaining({ method: 'POST', body: '{}' }),
      ],
    ]);
  });

  it("passes the backend's error on as a ResponseError, with its message", async () => {
    const { client } = clientReturning(
      {
        error: {
          name: 'NotAllowedError',
          message: 'Only the owners of component:default/shop may do this',
        },
        response: { statusCode: 403 },
      },
      403,
    );

    await expect(
      client.recordIncident('dep-4', { title: 'Down' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      body: {
        error: {
          message: 'Only the owners of component:default/shop may do this',
        },
      },
    });
  });

  it('passes the error of a read on too', async () => {
    const { client } = clientReturning(
      {
        error: { name: 'InputError', message: "Unknown environment 'nowhere'" },
        response: { statusCode: 400 },
      },
      400,
    );

    await expect(
      client.getMetrics({ days: 30, environment: 'nowhere' }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 400 });
  });
});
