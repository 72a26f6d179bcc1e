import { Environment } from '@internal/plugin-environments-common';
import { nextStep } from './NextStepHint';

const base: Environment = {
  id: 'e1',
  name: 'dev',
  service: 'component:default/shop',
  owner: 'group:default/payments',
  size: 'small',
  resources: ['postgres'],
  status: 'ready',
  drift: 'in-sync',
  createdBy: 'user:default/alice',
  createdAt: '2026-11-21T10:00:00.000Z',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  entityRef: 'resource:default/shop.dev',
  outputs: {},
  sensitiveOutputs: [],
};

describe('nextStep', () => {
  it('says nothing while all is well', () => {
    expect(nextStep(base)).toBeUndefined();
  });

  it('tells the owner what to do when the environment needs them', () => {
    expect(nextStep({ ...base, status: 'interrupted' })).toMatch(
      /Re-plan to see what is left, then Apply/,
    );
    expect(nextStep({ ...base, status: 'failed' })).toMatch(
      /fix the cause, then Apply again, or Destroy/,
    );
    expect(nextStep({ ...base, status: 'destroy-interrupted' })).toMatch(
      /part of this environment may already be gone .* Resume the destroy/,
    );
    expect(
      nextStep({
        ...base,
        status: 'degraded',
        checks: [
          {
            name: 'postgres_url',
            ok: false,
            message: 'postgres_url: role "shop_dev" does not exist',
          },
        ],
      }),
    ).toMatch(/but postgres_url did not connect at the last check/);
    expect(nextStep({ ...base, drift: 'drifted' })).toMatch(
      /no longer matches its configuration/,
    );
    expect(
      nextStep({ ...base, expiresAt: '2000-01-01T00:00:00.000Z' }),
    ).toMatch(/expired .* Extend it to keep it/);
    expect(
      nextStep({
        ...base,
        status: 'destroyed',
        expiresAt: '2000-01-01T00:00:00.000Z',
      }),
    ).toBeUndefined();
  });

  it('offers a module update, and says when a module was withdrawn', () => {
    expect(
      nextStep({
        ...base,
        resources: ['postgres', 'mariadb'],
        modules: [
          {
            id: 'postgres',
            appliedVersion: '1.0.0',
            latestVersion: '1.0.0',
            updateAvailable: false,
          },
          {
            id: 'mariadb',
            appliedVersion: '1.0.0',
            latestVersion: '1.1.0',
            updateAvailable: true,
          },
        ],
      }),
    ).toMatch(
      /update is available: mariadb 1\.0\.0 → 1\.1\.0\. Re-plan to see/,
    );
    expect(
      nextStep({
        ...base,
        modules: [
          {
            id: 'postgres',
            appliedVersion: '1.0.0',
            updateAvailable: false,
            problem:
              'The postgres module is no longer approved; the environment can still be destroyed with version 1.0.0',
          },
        ],
      }),
    ).toMatch(/no longer approved.*can only be destroyed/);
  });
});
