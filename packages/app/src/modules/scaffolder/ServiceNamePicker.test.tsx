import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { serviceNameValidation } from './ServiceNamePicker';

/** The form's view of the portal; the real endpoint is covered end to end. */
function apiHolder(response: { status: number; body: object }) {
  const fetch = jest.fn(
    async (_url: string) =>
      new Response(JSON.stringify(response.body), {
        status: response.status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const apis = new Map<string, unknown>([
    [
      discoveryApiRef.id,
      { getBaseUrl: async () => 'http://portal/api/scaffolder' },
    ],
    [fetchApiRef.id, { fetch }],
  ]);
  return {
    fetch,
    holder: { get: (ref: { id: string }) => apis.get(ref.id) } as any,
  };
}

const run = async (
  value: string,
  response: { status: number; body: object },
  withApi = true,
) => {
  const errors: string[] = [];
  const { fetch, holder } = apiHolder(response);
  await serviceNameValidation(
    value,
    { addError: (e: string) => errors.push(e) } as any,
    {
      apiHolder: holder,
      formData: {},
      schema: {},
      uiSchema: { 'ui:options': { withApi } },
    },
  );
  return { errors, fetch };
};

describe('ServiceNamePicker validation', () => {
  it('shows what already has the name, and whose it is', async () => {
    const { errors, fetch } = await run('payments-api', {
      status: 200,
      body: {
        conflicts: [
          {
            message:
              'component:default/payments-api is already in the catalog, owned by group:default/payments: choose another name',
          },
        ],
      },
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://portal/api/scaffolder/paved/name-conflicts?name=payments-api&api=true',
    );
    expect(errors).toEqual([
      'component:default/payments-api is already in the catalog, owned by group:default/payments: choose another name',
    ]);
  });

  it('lets a free name through', async () => {
    const { errors } = await run('orders', {
      status: 200,
      body: { conflicts: [] },
    });
    expect(errors).toEqual([]);
  });

  it('says so when the check itself fails', async () => {
    const { errors } = await run('orders', {
      status: 500,
      body: { error: { name: 'Error', message: 'catalog unavailable' } },
    });
    expect(errors).toEqual([
      expect.stringMatching(/^Could not check whether the name is free/),
    ]);
  });
});
