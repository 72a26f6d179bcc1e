import { GitHostClient } from './GitHostClient';

describe('GitHostClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
  };

  function clientReturning(response: Response) {
    const fetch = jest.fn(async () => response);
    return {
      fetch,
      client: new GitHostClient({ discoveryApi, fetchApi: { fetch } }),
    };
  }

  it('lists repositories', async () => {
    const items = [{ name: 'payments-api', owner: 'group:default/payments' }];
    const { client, fetch } = clientReturning(
      new Response(JSON.stringify({ items }), { status: 200 }),
    );

    await expect(client.listRepositories()).resolves.toEqual(items);
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/git-host/repositories',
      undefined,
    );
  });

  it('issues a token with a POST', async () => {
    const { client, fetch } = clientReturning(
      new Response(JSON.stringify({ token: 'secret' }), { status: 201 }),
    );

    await expect(client.issueToken()).resolves.toEqual({ token: 'secret' });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/git-host/tokens',
      { method: 'POST' },
    );
  });

  it('turns an error response into a ResponseError', async () => {
    const { client } = clientReturning(
      new Response(
        JSON.stringify({
          error: { name: 'AuthenticationError', message: 'No token' },
          response: { statusCode: 401 },
        }),
        { status: 401, headers: { 'Content-Type': 'application/json' } },
      ),
    );

    await expect(client.listRepositories()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 401,
    });
  });
});
