import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { Knex } from 'knex';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { TestBackend, TestDatabases } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  as,
  infra,
  repoRoot,
  startEnvironmentsBackend,
} from './__testUtils__/environmentsBackend';

// Real Terraform against this machine's PostgreSQL; the environments plugin
// with protected environments, the shipped policy rules and prices.
jest.setTimeout(300_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const ALICE = 'user:default/alice'; // payments, asks
const AISHA = 'user:default/aisha'; // payments, approves
const BOB = 'user:default/bob'; // checkout
const PAT = 'user:default/pat'; // platform

/**
 * Stands in for the notifications backend (which the production browser
 * test uses for real): what the plugin sent, to whom.
 */
const sent: NotificationSendOptions[] = [];
const recordingNotifications = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    async send(options: NotificationSendOptions) {
      sent.push(options);
    },
  }),
});
const sentTo = (ref: string, title: RegExp) =>
  sent.filter(
    n =>
      n.recipients.type === 'entity' &&
      ([] as string[]).concat(n.recipients.entityRef).includes(ref) &&
      title.test(n.payload.title),
  );

describe('guardrails of environments', () => {
  let knex: Knex;
  let dataDir: string;
  let policyFile: string;
  let backend: TestBackend;
  const service = `guard-${Date.now().toString(36)}`;
  const serviceRef = `component:default/${service}`;

  const start = () =>
    startEnvironmentsBackend({
      knex,
      dataDir,
      services: [service],
      modulesDir: path.join(repoRoot, 'terraform/modules'),
      environments: {
        guardrails: {
          protected: { names: ['prod'], approvals: 1 },
          approvalWindow: { hours: 1 },
          policyFile,
          prices: {
            currency: 'USD',
            default: 10,
            modules: { postgres: { small: 15, large: 240 } },
          },
          budgets: { 'group:default/payments': 100 },
        },
      },
      features: [recordingNotifications],
    });

  const api = () => request(backend.server);
  const post = (user: string, url: string, body: object = {}) =>
    api()
      .post(`/api/environments${url}`)
      .set('Authorization', as(user))
      .send(body);
  const get = (user: string, url: string) =>
    api().get(`/api/environments${url}`).set('Authorization', as(user));

  /** Waits until the run is neither queued nor running. */
  const settled = async (runId: string) => {
    for (;;) {
      const res = await get(ALICE, `/runs/${runId}`);
      expect(res.status).toBe(200);
      if (!['queued', 'running'].includes(res.body.status)) return res.body;
      await new Promise(r => setTimeout(r, 250));
    }
  };
  const runLog = async (runId: string) =>
    (await get(ALICE, `/runs/${runId}/events?after=0`)).body.items
      .map((e: { message: string }) => e.message)
      .join('\n');
  const create = async (name: string, body: object = {}) => {
    const res = await post(ALICE, '/environments', {
      service: serviceRef,
      name,
      size: 'small',
      resources: ['postgres'],
      ttlHours: 24,
      ...body,
    });
    expect(res.status).toBe(202);
    return { env: res.body.environment, run: await settled(res.body.run.id) };
  };
  const databaseExists = async (name: string) => {
    const db = infra();
    try {
      return (await db('pg_database').where({ datname: name })).length === 1;
    } finally {
      await db.destroy();
    }
  };
  const dbName = (env: string) => `${service.replace(/-/g, '_')}_${env}`;
  /** Destroys an environment, approving the destroy when it waits. */
  const destroy = async (envId: string) => {
    const asked = await post(ALICE, `/environments/${envId}/runs`, {
      kind: 'destroy',
    });
    expect(asked.status).toBe(202);
    let run = await settled(asked.body.id);
    if (run.status === 'awaiting-approval' && run.gate.overrideRequired) {
      // Outside the change window (the shipped rule), the platform overrides.
      const overridden = await post(PAT, `/runs/${run.id}/override`, {
        reason: 'test clean-up',
      });
      expect(overridden.status).toBe(200);
      run = await settled(run.id);
    }
    if (run.status === 'awaiting-approval') {
      const approved = await post(AISHA, `/runs/${run.id}/approve`, {
        planHash: run.gate.planHash,
      });
      expect(approved.status).toBe(200);
      run = await settled(run.id);
    }
    expect(run.status).toBe('succeeded');
  };

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-guardrails-'));
    policyFile = path.join(dataDir, 'policies.yaml');
    fs.copyFileSync(
      path.join(repoRoot, 'terraform/policies/environments.yaml'),
      policyFile,
    );
    backend = await start();
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    // What a failed test could not destroy: its databases and roles.
    const db = infra();
    try {
      const prefix = `${service.replace(/-/g, '_')}_%`;
      const left = await db('pg_database')
        .where('datname', 'like', prefix)
        .pluck('datname');
      for (const name of left) {
        await db.raw('drop database if exists ?? with (force)', [name]);
      }
      const roles = await db('pg_roles')
        .where('rolname', 'like', prefix)
        .pluck('rolname');
      for (const name of roles) await db.raw('drop role if exists ??', [name]);
    } finally {
      await db.destroy();
    }
  });

  it('holds a prod apply for an approval of exactly its plan, by someone else of the owning group', async () => {
    const { env, run } = await create('prod');
    expect(run.status).toBe('awaiting-approval');
    expect(run.gate).toMatchObject({
      protected: true,
      approvalsRequired: 1,
      approverGroups: ['group:default/payments', 'group:default/platform'],
      approvals: [],
      overrideRequired: false,
      cost: {
        currency: 'USD',
        before: 0,
        after: 15,
        delta: 15,
        teamMonthly: 15,
        budget: 100,
      },
    });
    expect(run.gate.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.gate.policy.map((p: { rule: string }) => p.rule)).toContain(
      'large-only-in-production',
    );
    expect(run.gate.policy.every((p: { passed: boolean }) => p.passed)).toBe(
      true,
    );
    expect((await get(ALICE, `/environments/${env.id}`)).body).toMatchObject({
      status: 'awaiting-approval',
      protected: true,
      monthlyCost: 15,
    });
    expect(await databaseExists(dbName('prod'))).toBe(false);
    // The approvers hear of it; the requester is left out.
    const asked = sentTo('group:default/payments', /Approval requested/);
    expect(asked).toHaveLength(1);
    expect(asked[0].recipients).toMatchObject({ excludeEntityRef: [ALICE] });

    // Not the requester, not another team, not a plan nobody showed them.
    const own = await post(ALICE, `/runs/${run.id}/approve`, {
      planHash: run.gate.planHash,
    });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(
      /You asked for this apply; someone else from group:default\/payments or group:default\/platform must approve it/,
    );
    const other = await post(BOB, `/runs/${run.id}/approve`, {
      planHash: run.gate.planHash,
    });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toMatch(
      /Only members of group:default\/payments or group:default\/platform may approve/,
    );
    const unseen = await post(AISHA, `/runs/${run.id}/approve`, {
      planHash: 'f'.repeat(64),
    });
    expect(unseen.status).toBe(409);
    expect(unseen.body.error.message).toMatch(/You reviewed plan ffffffffffff/);

    // A re-plan replaces the plan: an approval of the old one is refused.
    const replan = await post(ALICE, `/environments/${env.id}/runs`, {
      kind: 'apply',
    });
    expect(replan.status).toBe(202);
    expect(replan.body.voided).toEqual([run.id]);
    const second = await settled(replan.body.id);
    expect(second.status).toBe('awaiting-approval');
    const stale = await post(AISHA, `/runs/${run.id}/approve`, {
      planHash: run.gate.planHash,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(
      /This plan was replaced \(replaced by a new apply/,
    );
    expect((await get(ALICE, `/runs/${run.id}`)).body.status).toBe('voided');

    const approved = await post(AISHA, `/runs/${second.id}/approve`, {
      planHash: second.gate.planHash,
      comment: 'looks right',
    });
    expect(approved.status).toBe(200);
    const applied = await settled(second.id);
    expect(applied.status).toBe('succeeded');
    expect(applied.gate.approvals).toEqual([
      expect.objectContaining({
        by: AISHA,
        decision: 'approve',
        comment: 'looks right',
      }),
    ]);
    const log = await runLog(second.id);
    expect(log).toContain(
      `Applying the approved plan ${second.gate.planHash.slice(
        0,
        12,
      )} exactly as it was planned`,
    );
    // The decision is in the run's history, before the apply.
    expect(log).toContain(
      `Approved by ${AISHA} (1 of 1): looks right; the approved plan is queued to apply`,
    );
    // Applied from the saved plan: Terraform did not plan again.
    expect(log.split('Applying the approved plan')[1]).not.toMatch(
      /Plan: \d+ to add/,
    );
    expect(await databaseExists(dbName('prod'))).toBe(true);
    expect(await knex('run_plans').where({ run_id: second.id })).toHaveLength(
      0,
    );
    expect(sentTo(ALICE, /Your apply of prod .* was approved/)).toHaveLength(1);

    // The audit trail, for the platform team only.
    expect((await get(ALICE, '/audit')).status).toBe(403);
    const trail = await get(PAT, `/audit?environment=${env.id}`);
    expect(trail.status).toBe(200);
    const lines = trail.body.items.map(
      (e: { actor: string; action: string; outcome: string }) =>
        `${e.actor} ${e.action} ${e.outcome}`,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        `${ALICE} environment-create succeeded`,
        `${ALICE} run-awaiting-approval succeeded`,
        `${ALICE} run-approve refused`,
        `${BOB} run-approve refused`,
        `${ALICE} run-request-apply succeeded`,
        `${AISHA} run-approve succeeded`,
        `${ALICE} run-apply succeeded`,
      ]),
    );
    const byBob = await get(PAT, `/audit?actor=${encodeURIComponent(BOB)}`);
    expect(
      byBob.body.items.every((e: { actor: string }) => e.actor === BOB),
    ).toBe(true);

    // Two approvers at once: the destroy is applied once.
    const asking = await post(ALICE, `/environments/${env.id}/runs`, {
      kind: 'destroy',
    });
    const destroyRun = await settled(asking.body.id);
    expect(destroyRun.status).toBe('awaiting-approval');
    expect(destroyRun.gate.cost).toMatchObject({ delta: -15, teamMonthly: 0 });
    // Outside the change window the shipped soft rule holds it too.
    const overridden = destroyRun.gate.overrideRequired
      ? (
          await post(PAT, `/runs/${destroyRun.id}/override`, {
            reason: 'test outside the change window',
          })
        ).status
      : 200;
    expect(overridden).toBe(200);
    const both = await Promise.all(
      [AISHA, PAT].map(who =>
        post(who, `/runs/${destroyRun.id}/approve`, {
          planHash: destroyRun.gate.planHash,
        }),
      ),
    );
    expect(both.map(r => r.status)).toEqual([200, 200]);
    const destroyed = await settled(destroyRun.id);
    expect(destroyed.status).toBe('succeeded');
    const runs = (await get(ALICE, `/environments/${env.id}/runs`)).body.items;
    expect(
      runs.filter((r: { kind: string }) => r.kind === 'destroy'),
    ).toHaveLength(1);
    expect(
      (await runLog(destroyRun.id)).match(/Applying the approved plan/g),
    ).toHaveLength(1);
    expect(await databaseExists(dbName('prod'))).toBe(false);
  });

  it('keeps a waiting plan across a restart, and refuses an approval after it expired', async () => {
    const { env, run } = await create('prod');
    expect(run.status).toBe('awaiting-approval');
    const kept = await knex('run_plans').where({ run_id: run.id }).first();

    await backend.stop();
    backend = await start();

    const after = (await get(ALICE, `/runs/${run.id}`)).body;
    expect(after.status).toBe('awaiting-approval');
    expect(after.gate.planHash).toBe(run.gate.planHash);
    expect(await knex('run_plans').where({ run_id: run.id }).first()).toEqual(
      kept,
    );

    // Its window passes (moved into the past, as an hour going by would).
    await knex('runs')
      .where({ id: run.id })
      .update({
        approval_expires_at: new Date(Date.now() - 1000).toISOString(),
      });
    const late = await post(AISHA, `/runs/${run.id}/approve`, {
      planHash: run.gate.planHash,
    });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/This plan expired at .* re-plan/);
    expect((await get(ALICE, `/runs/${run.id}`)).body.status).toBe('expired');
    expect(await knex('run_plans').where({ run_id: run.id })).toHaveLength(0);
    expect((await get(ALICE, `/environments/${env.id}`)).body.status).toBe(
      'failed',
    );
    expect(await databaseExists(dbName('prod'))).toBe(false);
    await destroy(env.id);
  });

  it('blocks what a hard rule forbids, with its explanation, and holds for a soft one until overridden', async () => {
    const large = await create('dev', { size: 'large' });
    expect(large.run.status).toBe('blocked');
    expect(large.run.error).toMatch(
      /Blocked by policy: large-only-in-production: Size large is for production only/,
    );
    expect(
      large.run.gate.policy.find(
        (p: { rule: string }) => p.rule === 'large-only-in-production',
      ),
    ).toMatchObject({ level: 'hard', passed: false });
    expect(
      (await get(ALICE, `/environments/${large.env.id}`)).body.status,
    ).toBe('blocked');
    expect(await databaseExists(dbName('dev'))).toBe(false);
    expect(sentTo(ALICE, /Your apply of dev .* was blocked/)).toHaveLength(1);
    await destroy(large.env.id);

    // A week and more needs the platform team's word: not the owner's.
    const long = await create('dev', { ttlHours: 200 });
    expect(long.run.status).toBe('awaiting-approval');
    expect(long.run.gate).toMatchObject({
      protected: false,
      approvalsRequired: 0,
      overrideRequired: true,
    });
    const byOwner = await post(AISHA, `/runs/${long.run.id}/override`, {
      reason: 'demo',
    });
    expect(byOwner.status).toBe(403);
    const noReason = await post(PAT, `/runs/${long.run.id}/override`, {});
    expect(noReason.status).toBe(400);
    const overridden = await post(PAT, `/runs/${long.run.id}/override`, {
      reason: 'Load test runs for ten days',
    });
    expect(overridden.status).toBe(200);
    const applied = await settled(long.run.id);
    expect(applied.status).toBe('succeeded');
    expect(applied.gate.override).toMatchObject({
      by: PAT,
      reason: 'Load test runs for ten days',
    });
    await destroy(long.env.id);
  });

  it('holds protected runs while the policy file is broken, and lets dev environments go on', async () => {
    fs.writeFileSync(policyFile, 'rules:\n  - name: Bad Name\n    level: x\n');
    try {
      const prod = await create('prod');
      expect(prod.run.status).toBe('blocked');
      expect(prod.run.error).toMatch(
        /Held: the policies cannot be checked \(.*policies\.yaml: rules\.0\.name/,
      );
      expect(prod.run.gate.policyError).toMatch(/rules\.0\.name/);
      await destroy(prod.env.id);

      const dev = await create('dev');
      expect(dev.run.status).toBe('succeeded');
      expect(await runLog(dev.run.id)).toMatch(
        /Policies cannot be checked: .*rules\.0\.name/,
      );
      await destroy(dev.env.id);
    } finally {
      fs.copyFileSync(
        path.join(repoRoot, 'terraform/policies/environments.yaml'),
        policyFile,
      );
    }
  });

  it('tells the owners a day ahead that an environment expires, with a link that opens Extend', async () => {
    const { env, run } = await create('dev', { ttlHours: 2 });
    expect(run.status).toBe('succeeded');
    try {
      // The sweep runs every 2 seconds here.
      let told;
      while (!told) {
        told = sentTo('group:default/payments', /expires/).find(n =>
          n.payload.link?.startsWith(`/environments/${env.id}`),
        );
        await new Promise(r => setTimeout(r, 250));
      }
      expect(told.payload.link).toBe(`/environments/${env.id}?extend=24`);
      expect(told.payload.title).toMatch(
        new RegExp(`^dev of ${service} expires `),
      );
    } finally {
      await destroy(env.id);
    }
  });

  it('estimates costs and sums a team', async () => {
    const estimate = await post(ALICE, '/costs/estimate', {
      owner: 'group:default/payments',
      name: 'prod',
      size: 'large',
      resources: ['postgres', 'redis'],
    });
    expect(estimate.body).toEqual({
      currency: 'USD',
      monthly: 250,
      teamMonthly: 250,
      budget: 100,
      overBudget: true,
      protected: true,
    });
    const bad = await post(ALICE, '/costs/estimate', { owner: 1 });
    expect(bad.status).toBe(400);
    const costs = await get(ALICE, '/costs?owner=group:default/payments');
    expect(costs.body.items).toEqual([
      expect.objectContaining({
        owner: 'group:default/payments',
        monthly: 0,
        budget: 100,
      }),
    ]);
    expect(costs.body.items[0].monthSoFar).toBeGreaterThanOrEqual(0);
  });
});
