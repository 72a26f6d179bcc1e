import { TestDatabases } from '@backstage/backend-test-utils';
import { RunGate } from '@internal/plugin-environments-common';
import { EnvironmentStore } from '../database/EnvironmentStore';
import { GateStore } from '../database/GateStore';
import { environment, migrated, run } from '../__testUtils__/rows';
import { ApprovalService } from './ApprovalService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const PAYMENTS = 'group:default/payments';
const PLATFORM = 'group:default/platform';
const member = (name: string, group = PAYMENTS) => ({
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [`user:default/${name}`, group],
});

describe.each(databases.eachSupportedId())('ApprovalService on %p', id => {
  async function waitingRun(gate: Partial<RunGate> = {}) {
    const knex = await migrated(await databases.init(id));
    const store = new EnvironmentStore(knex);
    const env = environment({ name: 'prod', status: 'awaiting-approval' });
    const held = run(env.id, {
      status: 'awaiting-approval',
      finished_at: new Date().toISOString(),
      plan_hash: 'a'.repeat(64),
      approval_expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      gate: JSON.stringify({
        protected: true,
        approvalsRequired: 2,
        approverGroups: [PAYMENTS, PLATFORM],
        approvals: [],
        policy: [],
        overrideRequired: false,
        ...gate,
      }),
    });
    await store.createEnvironment(env, held);
    await knex('run_plans').insert({
      run_id: held.id,
      plan_hash: held.plan_hash,
      sealed: 'sealed',
      created_at: new Date().toISOString(),
    });
    const approvals = new ApprovalService({
      store,
      gates: new GateStore(knex),
    });
    return { knex, store, env, held, approvals };
  }
  const hash = 'a'.repeat(64);

  it('queues the plan once, when the last of the approvals needed arrives, however many arrive at once', async () => {
    const { store, held, approvals } = await waitingRun();
    const first = await approvals.approve(held.id, member('aisha'), {
      planHash: hash,
    });
    expect(first).toMatchObject({ queued: false, approvals: 1 });
    // Asking twice does not count twice.
    await approvals.approve(held.id, member('aisha'), { planHash: hash });
    expect((await store.getRun(held.id))?.status).toBe('awaiting-approval');

    const results = await Promise.allSettled(
      ['tomas', 'daniel', 'pat'].map(who =>
        approvals.approve(
          held.id,
          member(who, who === 'pat' ? PLATFORM : PAYMENTS),
          { planHash: hash },
        ),
      ),
    );
    const queued = results.filter(
      r => r.status === 'fulfilled' && r.value.queued,
    );
    expect(queued).toHaveLength(1);
    expect(await store.getRun(held.id)).toMatchObject({ status: 'queued' });
    expect((await store.getRun(held.id))?.approved_at).toBeTruthy();
  });

  it('refuses the requester, strangers, another plan, and a decided plan', async () => {
    const { store, held, approvals } = await waitingRun({
      approvalsRequired: 1,
    });
    await expect(
      approvals.approve(held.id, member('alice'), { planHash: hash }),
    ).rejects.toThrow(/You asked for this apply/);
    await expect(
      approvals.approve(held.id, member('bob', 'group:default/checkout'), {
        planHash: hash,
      }),
    ).rejects.toThrow(
      /Only members of group:default\/payments or group:default\/platform/,
    );
    await expect(
      approvals.approve(held.id, member('aisha'), { planHash: 'b'.repeat(64) }),
    ).rejects.toThrow(/You reviewed plan bbbbbbbbbbbb/);
    await expect(
      approvals.approve(held.id, member('aisha'), {}),
    ).rejects.toThrow(/planHash is required/);

    await expect(
      approvals.reject(held.id, member('bob', 'group:default/checkout'), 'no'),
    ).rejects.toThrow(/or the requester, may reject/);
    await expect(
      approvals.reject(held.id, member('aisha'), ' '),
    ).rejects.toThrow(/reason is required/);
    await approvals.reject(held.id, member('aisha'), 'Not during the freeze');
    expect(await store.getRun(held.id)).toMatchObject({
      status: 'rejected',
      error: 'Rejected by user:default/aisha: Not during the freeze',
    });
    expect((await store.getEnvironment(held.environment_id))?.status).toBe(
      'rejected',
    );
    await expect(
      approvals.approve(held.id, member('tomas'), { planHash: hash }),
    ).rejects.toThrow(/already rejected \(Rejected by user:default\/aisha/);
  });

  it('expires a plan past its window and drops its file', async () => {
    const { knex, store, held, approvals } = await waitingRun();
    await knex('runs')
      .where({ id: held.id })
      .update({ approval_expires_at: new Date(Date.now() - 1).toISOString() });
    await expect(
      approvals.approve(held.id, member('aisha'), { planHash: hash }),
    ).rejects.toThrow(/expired at .* re-plan to ask again/);
    expect((await store.getRun(held.id))?.status).toBe('expired');
    expect(await knex('run_plans').where({ run_id: held.id })).toEqual([]);
  });

  it('needs an override with a reason for a broken soft rule, then queues', async () => {
    const { store, held, approvals } = await waitingRun({
      approvalsRequired: 0,
      protected: false,
      overrideRequired: true,
    });
    await expect(
      approvals.approve(held.id, member('aisha'), { planHash: hash }),
    ).rejects.toThrow(/needs no approval, only an override/);
    await expect(
      approvals.override(held.id, 'user:default/pat', ''),
    ).rejects.toThrow(/reason is required/);
    const done = await approvals.override(
      held.id,
      'user:default/pat',
      'Ten-day load test',
    );
    expect(done.queued).toBe(true);
    const after = await store.getRun(held.id);
    expect(after?.status).toBe('queued');
    expect(JSON.parse(after!.gate!).override).toMatchObject({
      by: 'user:default/pat',
      reason: 'Ten-day load test',
    });
  });
});
