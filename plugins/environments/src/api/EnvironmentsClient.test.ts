import { EnvironmentsClient } from './EnvironmentsClient';

describe('EnvironmentsClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
  };
  const base = 'http://localhost:7007/api/environments';

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
      client: new EnvironmentsClient({ discoveryApi, fetchApi: { fetch } }),
    };
  }

  function errorBody(name: string, message: string, statusCode: number) {
    return { error: { name, message }, response: { statusCode } };
  }

  it('gets the options', async () => {
    const options = { sizes: ['small'], defaultTtlHours: 72 };
    const { client, fetch } = clientReturning(options);

    await expect(client.getOptions()).resolves.toEqual(options);
    expect(fetch).toHaveBeenCalledWith(`${base}/options`, undefined);
  });

  it('lists environments, unfiltered and filtered', async () => {
    const items = [{ id: 'e1', name: 'dev' }];
    const { client, fetch } = clientReturning({ items });

    await expect(client.listEnvironments()).resolves.toEqual(items);
    expect(fetch).toHaveBeenLastCalledWith(`${base}/environments`, undefined);

    await client.listEnvironments({
      owner: 'group:default/payments',
      status: 'destroyed',
      service: 'component:default/payments-api',
    });
    const url = new URL(String(fetch.mock.calls[1][0]));
    expect(url.pathname).toBe('/api/environments/environments');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      owner: 'group:default/payments',
      status: 'destroyed',
      service: 'component:default/payments-api',
    });

    await client.listEnvironments({ includeDestroyed: true });
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/environments?includeDestroyed=true`,
      undefined,
    );
  });

  it('asks for a new environment with a JSON body', async () => {
    const created = { environment: { id: 'e1' }, run: { id: 'r1' } };
    const { client, fetch } = clientReturning(created, 202);
    const request = {
      service: 'component:default/payments-api',
      owner: 'group:default/payments',
      name: 'dev',
      size: 'small' as const,
      resources: ['postgres' as const],
      ttlHours: 24,
    };

    await expect(client.createEnvironment(request)).resolves.toEqual(created);
    expect(fetch).toHaveBeenCalledWith(`${base}/environments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  });

  it('gets an environment and its runs, escaping the id', async () => {
    const { client, fetch } = clientReturning({ items: [{ id: 'r1' }] });

    await expect(client.listRuns('e/1')).resolves.toEqual([{ id: 'r1' }]);
    expect(fetch).toHaveBeenCalledWith(
      `${base}/environments/e%2F1/runs`,
      undefined,
    );

    await client.getEnvironment('e1');
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/environments/e1`,
      undefined,
    );
  });

  it('queues a run of a kind', async () => {
    const { client, fetch } = clientReturning({ id: 'r2', status: 'queued' });

    await expect(client.requestRun('e1', 'plan-destroy')).resolves.toEqual({
      id: 'r2',
      status: 'queued',
    });
    expect(fetch).toHaveBeenCalledWith(`${base}/environments/e1/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"kind":"plan-destroy"}',
    });
  });

  it('extends an environment by hours', async () => {
    const { client, fetch } = clientReturning({ id: 'e1' });

    await client.extendEnvironment('e1', 48);
    expect(fetch).toHaveBeenCalledWith(`${base}/environments/e1/extend`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"ttlHours":48}',
    });
  });

  it('returns the secrets', async () => {
    const { client, fetch } = clientReturning({
      outputs: { db_password: 'hunter2' },
    });

    await expect(client.getSecrets('e1')).resolves.toEqual({
      db_password: 'hunter2',
    });
    expect(fetch).toHaveBeenCalledWith(
      `${base}/environments/e1/secrets`,
      undefined,
    );
  });

  it('gets a run and its events after a sequence number', async () => {
    const page = {
      items: [{ seq: 4, message: 'Plan: 1 to add' }],
      finished: true,
    };
    const { client, fetch } = clientReturning(page);

    await expect(client.getRunEvents('r1', 3)).resolves.toEqual(page);
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/runs/r1/events?after=3`,
      undefined,
    );

    await client.getRunEvents('r1');
    expect(fetch).toHaveBeenLastCalledWith(`${base}/runs/r1/events`, undefined);

    await client.getRun('r1');
    expect(fetch).toHaveBeenLastCalledWith(`${base}/runs/r1`, undefined);
  });

  it.each([
    [403, 'NotAllowedError', 'You are not in group:default/payments'],
    [409, 'ConflictError', 'The environment is destroyed'],
  ])(
    'turns a %d into a ResponseError carrying the backend message',
    async (status, name, message) => {
      const { client } = clientReturning(
        errorBody(name, message, status),
        status,
      );

      const error = await client
        .requestRun('e1', 'apply')
        .catch((e: Error) => e);
      expect(error).toMatchObject({
        name: 'ResponseError',
        statusCode: status,
        body: { error: { name, message } },
      });
    },
  );
});
