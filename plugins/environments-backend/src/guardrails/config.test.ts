import { ConfigReader } from '@backstage/config';
import { protectionOf, readGuardrailsConfig } from './config';

const read = (guardrails: object, platformGroups?: string[]) =>
  readGuardrailsConfig(
    new ConfigReader({
      paved: {
        environments: { guardrails },
        ...(platformGroups ? { permission: { platformGroups } } : {}),
      },
    }),
  );

describe('guardrails config', () => {
  it('protects prod, production and staging by default, approved by the owner or the platform team', () => {
    const config = read({});
    expect(protectionOf(config, 'group:default/payments', 'prod')).toEqual({
      names: ['prod', 'production', 'staging'],
      patterns: [],
      approvals: 1,
      approverGroups: ['owner', 'group:default/platform'],
    });
    expect(
      protectionOf(config, 'group:default/payments', 'dev'),
    ).toBeUndefined();
    expect(config.approvalWindowMs).toBe(24 * 3_600_000);
    expect(config.failClosed).toBe('protected');
  });

  it('matches patterns, and a group may need more approvals from others', () => {
    const config = read(
      {
        protected: { names: ['prod'], patterns: ['^prod-'] },
        groups: {
          'group:default/payments': {
            protected: { approvals: 2, approverGroups: ['group:default/sre'] },
          },
        },
        approvalWindow: { hours: 2 },
        budgets: { 'group:default/payments': 300 },
      },
      ['group:default/ops'],
    );
    expect(
      protectionOf(config, 'group:default/checkout', 'prod-eu'),
    ).toMatchObject({
      approvals: 1,
      approverGroups: ['owner', 'group:default/ops'],
    });
    expect(
      protectionOf(config, 'group:default/payments', 'prod'),
    ).toMatchObject({
      approvals: 2,
      approverGroups: ['group:default/sre'],
    });
    expect(
      protectionOf(config, 'group:default/payments', 'preprod'),
    ).toBeUndefined();
    expect(config.approvalWindowMs).toBe(2 * 3_600_000);
    expect(config.budgets).toEqual({ 'group:default/payments': 300 });
  });

  it.each([
    [
      { protected: { patterns: ['('] } },
      /protected\.patterns: \( is not a regular expression/,
    ],
    [
      { protected: { approvals: 0 } },
      /approvals must be a whole number of at least 1/,
    ],
    [{ failClosed: 'never' }, /failClosed must be protected or all/],
    [
      { budgets: { 'group:default/x': -1 } },
      /budgets\.group:default\/x must be a number of at least 0/,
    ],
    [
      { groups: { 'group:default/x': { protected: 'yes' } } },
      /groups\.group:default\/x\.protected must be a map/,
    ],
    [
      { prices: { modules: { postgres: { small: -5 } } } },
      /prices\.modules\.postgres\.small must not be negative/,
    ],
  ])('refuses %j', (guardrails, message) => {
    expect(() => read(guardrails)).toThrow(message);
  });
});
