import { GitHostClient } from './GitHostClient';

describe('GitHostClient', () => {
  const base = 'http://localhost:7007/api/git-host';
  const shop = { namespace: 'payments', name: 'shop' };
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
  };

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });

  function clientReturning(response: Response) {
    const fetch = jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) => response.clone(),
    );
    return {
      fetch,
      client: new GitHostClient({ discoveryApi, fetchApi: { fetch } }),
    };
  }

  it('lists repositories', async () => {
    const items = [{ fullName: 'payments/shop' }];
    const { client, fetch } = clientReturning(json({ items }));

    await expect(client.listRepositories()).resolves.toEqual(items);
    expect(fetch).toHaveBeenCalledWith(`${base}/repositories`, undefined);
  });

  it.each([
    [
      'a repository',
      (c: GitHostClient) => c.getRepository(shop),
      '/repositories/payments/shop',
    ],
    [
      'the root directory',
      (c: GitHostClient) => c.getContents(shop, { ref: 'main', path: '' }),
      '/api/v1/repos/payments/shop/contents?ref=main',
    ],
    [
      'a file, each path segment encoded',
      (c: GitHostClient) =>
        c.getContents(shop, { ref: 'feature/x', path: 'docs/read me.md' }),
      '/api/v1/repos/payments/shop/contents/docs/read%20me.md?ref=feature%2Fx',
    ],
    [
      'branches',
      (c: GitHostClient) => c.listBranches(shop),
      '/api/v1/repos/payments/shop/branches',
    ],
    [
      'commits of a branch, a page at a time',
      (c: GitHostClient) =>
        c.listCommits(shop, { ref: 'main', limit: 30, page: 2 }),
      '/api/v1/repos/payments/shop/commits?sha=main&limit=30&page=2',
    ],
    [
      'open change requests',
      (c: GitHostClient) => c.listChangeRequests(shop, { state: 'open' }),
      '/api/v1/repos/payments/shop/pulls?state=open',
    ],
    [
      'a change request',
      (c: GitHostClient) => c.getChangeRequest(shop, 7),
      '/api/v1/repos/payments/shop/pulls/7',
    ],
    [
      "a change request's commits",
      (c: GitHostClient) => c.listChangeRequestCommits(shop, 7),
      '/api/v1/repos/payments/shop/pulls/7/commits',
    ],
    [
      "a change request's files",
      (c: GitHostClient) => c.listChangeRequestFiles(shop, 7),
      '/api/v1/repos/payments/shop/pulls/7/files',
    ],
    [
      'the latest pipelines of a branch',
      (c: GitHostClient) => c.listPipelines(shop, { limit: 10, ref: 'main' }),
      '/repositories/payments/shop/pipelines?limit=10&ref=main',
    ],
    [
      'the pipelines of a commit',
      (c: GitHostClient) => c.listPipelines(shop, { sha: 'abc123' }),
      '/repositories/payments/shop/pipelines?sha=abc123',
    ],
    [
      'a pipeline',
      (c: GitHostClient) => c.getPipeline(shop, 12),
      '/repositories/payments/shop/pipelines/12',
    ],
    [
      "a job's log from the start, the job's name encoded",
      (c: GitHostClient) => c.getJobLog(shop, 12, 'deploy prod'),
      '/repositories/payments/shop/pipelines/12/jobs/deploy%20prod/log',
    ],
    [
      "a job's log after the last chunk read",
      (c: GitHostClient) => c.getJobLog(shop, 12, 'build', { after: 41 }),
      '/repositories/payments/shop/pipelines/12/jobs/build/log?after=41',
    ],
    [
      'the token policy',
      (c: GitHostClient) => c.getTokenPolicy(),
      '/token-policy',
    ],
  ])('reads %s', async (_what, call, path) => {
    const { client, fetch } = clientReturning(json({}));

    await call(client);

    expect(fetch).toHaveBeenCalledWith(`${base}${path}`, undefined);
  });

  it('unwraps the token lists', async () => {
    const items = [{ id: 't1' }];
    const { client, fetch } = clientReturning(json({ items }));

    await expect(client.listTokens()).resolves.toEqual(items);
    await expect(client.listDeployTokens(shop)).resolves.toEqual(items);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${base}/tokens`,
      `${base}/repositories/payments/shop/deploy-tokens`,
    ]);
  });

  it.each([
    [
      'issues a token with a name and an expiry',
      (c: GitHostClient) => c.issueToken({ name: 'laptop', expiresInDays: 30 }),
      'POST',
      '/tokens',
      { name: 'laptop', expiresInDays: 30 },
    ],
    [
      'issues a deploy token',
      (c: GitHostClient) =>
        c.issueDeployToken(shop, { name: 'ci', scope: 'read' }),
      'POST',
      '/repositories/payments/shop/deploy-tokens',
      { name: 'ci', scope: 'read' },
    ],
    [
      'opens a change request',
      (c: GitHostClient) =>
        c.createChangeRequest(shop, { title: 'Refunds', head: 'refunds' }),
      'POST',
      '/api/v1/repos/payments/shop/pulls',
      { title: 'Refunds', head: 'refunds' },
    ],
    [
      'merges a change request',
      (c: GitHostClient) => c.mergeChangeRequest(shop, 7),
      'POST',
      '/api/v1/repos/payments/shop/pulls/7/merge',
      { Do: 'merge' },
    ],
    [
      'closes a change request',
      (c: GitHostClient) => c.updateChangeRequest(shop, 7, { state: 'closed' }),
      'PATCH',
      '/api/v1/repos/payments/shop/pulls/7',
      { state: 'closed' },
    ],
  ])('%s', async (_what, call, method, path, body) => {
    const { client, fetch } = clientReturning(json({ token: 'secret' }, 201));

    await call(client);

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${base}${path}`);
    expect(init).toMatchObject({
      method,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(init!.body as string)).toEqual(body);
  });

  it.each([
    [
      'cancels a pipeline',
      (c: GitHostClient) => c.cancelPipeline(shop, 12),
      '/repositories/payments/shop/pipelines/12/cancel',
    ],
    [
      're-runs a pipeline',
      (c: GitHostClient) => c.rerunPipeline(shop, 12),
      '/repositories/payments/shop/pipelines/12/rerun',
    ],
    [
      'starts a manual job',
      (c: GitHostClient) => c.playJob(shop, 12, 'deploy prod'),
      '/repositories/payments/shop/pipelines/12/jobs/deploy%20prod/play',
    ],
  ])('%s with a POST', async (_what, call, path) => {
    const { client, fetch } = clientReturning(json({ state: 'canceled' }, 202));

    await expect(call(client)).resolves.toEqual({ state: 'canceled' });

    expect(fetch).toHaveBeenCalledWith(`${base}${path}`, { method: 'POST' });
  });

  it('revokes a token with a DELETE and expects no body back', async () => {
    const { client, fetch } = clientReturning(
      new Response(null, { status: 204 }),
    );

    await expect(client.revokeToken('t 1')).resolves.toBeUndefined();
    expect(fetch).toHaveBeenCalledWith(`${base}/tokens/t%201`, {
      method: 'DELETE',
    });
  });

  it("passes the backend's error on as a ResponseError", async () => {
    const { client } = clientReturning(
      json(
        {
          error: {
            name: 'ConflictError',
            message: 'main moved: update the branch',
          },
          response: { statusCode: 409 },
        },
        409,
      ),
    );

    await expect(client.mergeChangeRequest(shop, 7)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 409,
      body: { error: { message: 'main moved: update the branch' } },
    });
  });
});
