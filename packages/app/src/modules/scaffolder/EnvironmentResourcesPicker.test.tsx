import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { EnvironmentResourcesPickerField } from './EnvironmentResourcesPicker';

/** The environments API as the form sees it; the real one is tested in the backend. */
function environmentsApi() {
  const fetch = jest.fn(async (url: string, init?: RequestInit) => {
    const body = url.endsWith('/options')
      ? {
          resources: [
            {
              id: 'postgres',
              title: 'PostgreSQL',
              description: 'A database',
              module: 'postgres-database',
              version: '1.0.0',
              owner: 'group:default/platform',
              resourceType: 'database',
              inputs: [],
            },
          ],
          problems: [],
          sizes: ['small', 'medium', 'large'],
          defaultTtlHours: 72,
          maxTtlHours: 720,
        }
      : {
          currency: 'USD',
          monthly: 240,
          teamMonthly: 420,
          budget: 300,
          overBudget: true,
          protected: true,
          request: JSON.parse(String(init?.body)),
        };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return {
    fetch,
    apis: [
      [
        discoveryApiRef,
        { getBaseUrl: async () => 'http://portal/api/environments' },
      ],
      [fetchApiRef, { fetch }],
    ] as const,
  };
}

describe('EnvironmentResourcesPicker', () => {
  it("estimates the chosen blocks' monthly cost from the form's owner, name and size, and warns over budget", async () => {
    const { fetch, apis } = environmentsApi();
    await renderInTestApp(
      <EnvironmentResourcesPickerField
        {...({
          formData: ['postgres'],
          onChange: jest.fn(),
          schema: { title: 'Resources' },
          rawErrors: [],
          idSchema: { $id: 'root_environmentResources' },
          formContext: {
            formData: {
              owner: 'group:default/payments',
              environmentName: 'prod',
              environmentSize: 'large',
            },
          },
        } as any)}
      />,
      { apis: apis as any },
    );
    expect(
      await screen.findByLabelText(/PostgreSQL: A database/),
    ).toBeChecked();
    const estimate = await screen.findByTestId('environment-cost-estimate');
    expect(estimate).toHaveTextContent(
      "Estimated cost: 240.00 USD a month; the team's environments would come to 420.00 USD a month of a budget of 300.00 USD. This is over the team budget",
    );
    expect(estimate).toHaveTextContent(/This environment is protected/);
    await waitFor(() =>
      expect(fetch).toHaveBeenCalledWith(
        'http://portal/api/environments/costs/estimate',
        expect.objectContaining({
          method: 'POST',
          body: JSON.stringify({
            owner: 'group:default/payments',
            name: 'prod',
            size: 'large',
            resources: ['postgres'],
          }),
        }),
      ),
    );
  });
});
