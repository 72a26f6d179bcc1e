import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluate, PolicyEngine, PolicyFacts } from './PolicyEngine';

const SHIPPED = path.resolve(
  __dirname,
  '../../../../terraform/policies/environments.yaml',
);

const facts = (patch: Partial<PolicyFacts> = {}): PolicyFacts => ({
  kind: 'apply',
  service: 'component:default/svc',
  owner: 'group:default/payments',
  environment: 'dev',
  protected: false,
  size: 'small',
  resources: ['postgres'],
  ttlHours: 24,
  creating: true,
  plan: { add: 4, change: 0, remove: 0, resources: 4, removedModules: [] },
  cost: { monthly: 15, delta: 15, teamMonthly: 15, overBudget: false },
  teamEnvironments: 1,
  // Tuesday, 10:00 UTC: inside the change window.
  time: { hour: 10, weekday: 2 },
  ...patch,
});

describe('PolicyEngine', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-policies-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (text: string) => {
    const file = path.join(dir, 'policies.yaml');
    fs.writeFileSync(file, text);
    return new PolicyEngine(file);
  };

  it('reads the shipped rules, and each says when it is broken', async () => {
    const loaded = await new PolicyEngine(SHIPPED).load();
    if (!loaded.ok) throw new Error(loaded.error);
    const broken = async (patch: Partial<PolicyFacts>) =>
      (await evaluate(loaded.rules, facts(patch)))
        .filter(r => !r.passed)
        .map(r => `${r.rule} ${r.level}`);

    expect(await broken({})).toEqual([]);
    expect(await broken({ size: 'large' })).toEqual([
      'large-only-in-production hard',
    ]);
    expect(await broken({ size: 'large', environment: 'prod' })).toEqual([]);
    expect(await broken({ ttlHours: 169 })).toEqual([
      'long-lived-needs-approval soft',
    ]);
    const dropDatabase = {
      kind: 'destroy',
      protected: true,
      plan: {
        add: 0,
        change: 0,
        remove: 4,
        resources: 4,
        removedModules: ['postgres'],
      },
    };
    expect(await broken(dropDatabase)).toEqual([]);
    expect(
      await broken({ ...dropDatabase, time: { hour: 20, weekday: 2 } }),
    ).toEqual(['production-database-destroy-in-change-window soft']);
    expect(
      await broken({ ...dropDatabase, time: { hour: 10, weekday: 6 } }),
    ).toEqual(['production-database-destroy-in-change-window soft']);
    expect(await broken({ teamEnvironments: 11 })).toEqual([
      'at-most-ten-environments-per-team hard',
    ]);
    expect(await broken({ teamEnvironments: 11, creating: false })).toEqual([]);
    expect(
      await broken({
        cost: {
          monthly: 15,
          delta: 15,
          teamMonthly: 400,
          budget: 300,
          overBudget: true,
        },
      }),
    ).toEqual(['team-over-budget advisory']);
  });

  it.each([
    ['rules: [', /is not valid YAML/],
    [
      'rules:\n  - name: ok\n    level: fatal\n    explanation: x\n    when: { all: [] }\n',
      /rules\.0\.level/,
    ],
    [
      'rules:\n  - name: ok\n    level: hard\n    explanation: x\n    when: { fact: size, operator: equal, value: large }\n',
      /rules\.0\.when: must start with all, any or not/,
    ],
    [
      'rules:\n  - name: ok\n    level: hard\n    explanation: x\n    when: { all: [{ fact: size, operator: looksLike, value: large }] }\n',
      /rule ok: .*looksLike/,
    ],
    [
      'rules:\n  - { name: a, level: hard, explanation: x, when: { all: [] } }\n  - { name: a, level: soft, explanation: y, when: { all: [] } }\n',
      /rules\.1: a second rule named a/,
    ],
    ['{}', /rules: /],
  ])('refuses a broken file, saying where: %s', async (text, message) => {
    const loaded = await write(text).load();
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.error).toMatch(message);
  });

  it('says a missing file cannot be read, and reads a fixed file again', async () => {
    const missing = await new PolicyEngine(path.join(dir, 'none.yaml')).load();
    expect(!missing.ok && missing.error).toMatch(/none\.yaml cannot be read/);

    const engine = write('rules: [');
    expect((await engine.load()).ok).toBe(false);
    fs.writeFileSync(
      path.join(dir, 'policies.yaml'),
      'rules:\n  - { name: no-large, level: hard, explanation: No., when: { all: [{ fact: size, operator: equal, value: large }] } }\n',
    );
    const fixed = await engine.load();
    expect(fixed.ok && fixed.rules.map(r => r.name)).toEqual(['no-large']);
  });
});
