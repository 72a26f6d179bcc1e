// The Node half of bench/guardrails.sh.
//   node bench/guardrails.mjs rules N                 prints N policy rules
//   node bench/guardrails.mjs plan URL STATE COUNT PLANS
//   node bench/guardrails.mjs approve URL STATE       (as another user)
//   node bench/guardrails.mjs approve-destroy URL STATE
import fs from 'node:fs';
import { guestToken, percentile } from './lib.mjs';

const [phase, ...args] = process.argv.slice(2);

/** N rules over the plan, the request and the cost; none is broken. */
function rules(n) {
  const when = i =>
    [
      {
        all: [
          {
            fact: 'plan',
            path: '$.resources',
            operator: 'greaterThan',
            value: 1000 + i,
          },
        ],
      },
      {
        all: [
          { fact: 'size', operator: 'equal', value: `xl${i}` },
          { fact: 'protected', operator: 'equal', value: true },
        ],
      },
      {
        any: [
          { fact: 'resources', operator: 'contains', value: `none${i}` },
          { fact: 'ttlHours', operator: 'greaterThan', value: 10000 + i },
        ],
      },
      {
        all: [
          {
            fact: 'plan',
            path: '$.removedModules',
            operator: 'contains',
            value: `pg${i}`,
          },
        ],
      },
      {
        all: [
          {
            fact: 'cost',
            path: '$.teamMonthly',
            operator: 'greaterThan',
            value: 1e6 + i,
          },
        ],
      },
    ][i % 5];
  const list = Array.from({ length: n }, (_, i) => ({
    name: `rule-${i + 1}`,
    level: ['advisory', 'soft', 'hard'][i % 3],
    explanation: `Rule ${i + 1} of the bench.`,
    when: when(i),
  }));
  return `rules:\n${list.map(r => `  - ${JSON.stringify(r)}`).join('\n')}\n`;
}

if (phase === 'rules') {
  process.stdout.write(rules(Number(args[0])));
  process.exit(0);
}

const [base, stateFile] = args;
const token = await guestToken(base);
const call = async (method, path, body) => {
  const res = await fetch(`${base}/api/environments${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};
const settled = async runId => {
  for (;;) {
    const run = await call('GET', `/runs/${runId}`);
    if (!['queued', 'running'].includes(run.status)) return run;
    await new Promise(r => setTimeout(r, 200));
  }
};
const events = async runId =>
  (await call('GET', `/runs/${runId}/events?after=0`)).items;
const save = state => fs.writeFileSync(stateFile, JSON.stringify(state));
const load = () => JSON.parse(fs.readFileSync(stateFile, 'utf8'));

async function approveAndTime(runId, what) {
  const run = await call('GET', `/runs/${runId}`);
  if (run.status !== 'awaiting-approval')
    throw new Error(`${what} is ${run.status}`);
  const before = Date.now();
  await call('POST', `/runs/${runId}/approve`, { planHash: run.gate.planHash });
  const done = await settled(runId);
  if (done.status !== 'succeeded')
    throw new Error(`${what} ${done.status}: ${done.error}`);
  const applying = (await events(runId)).find(e =>
    e.message.includes('Applying the approved plan'),
  );
  const started = Date.parse(applying.at) - before;
  console.log(
    `${what}: approval to apply start ${started} ms (to the line "Applying the approved plan"), apply of ${
      done.plan.add + done.plan.remove
    } resource changes done ${
      Date.parse(done.finishedAt) - before
    } ms after the approval`,
  );
}

if (phase === 'plan') {
  const count = Number(args[2]);
  const plans = Number(args[3]);
  const service = `component:default/payments-api-service`;
  const created = await call('POST', '/environments', {
    service,
    name: 'prod',
    size: 'small',
    resources: Array.from(
      { length: count },
      (_, i) => `pg${String(i + 1).padStart(2, '0')}`,
    ),
    ttlHours: 24,
  });
  const envId = created.environment.id;
  const timings = [];
  const time = async runId => {
    const run = await settled(runId);
    if (!['awaiting-approval', 'succeeded'].includes(run.status)) {
      throw new Error(`run ${run.status}: ${run.error}`);
    }
    const line = (await events(runId)).find(e => /Policies: /.test(e.message));
    timings.push(Number(/checked in ([\d.]+) ms/.exec(line.message)[1]));
    return run;
  };
  const first = await time(created.run.id);
  console.log(
    `plan of ${first.plan.changes.length} resources, ${first.gate.policy.length} rules`,
  );
  for (let i = 0; i < plans; i++) {
    await time(
      (
        await call('POST', `/environments/${envId}/runs`, { kind: 'plan' })
      ).id,
    );
  }
  console.log(
    `policy evaluation, ${first.gate.policy.length} rules over a ${
      first.plan.changes.length
    }-resource plan: p50 ${percentile(timings, 50)} ms, p95 ${percentile(
      timings,
      95,
    )} ms, max ${Math.max(...timings)} ms (${timings.length} plans)`,
  );
  // The approval is timed on a one-block environment: the fifty copies of
  // the PostgreSQL module would all make the same database and role.
  const small = await call('POST', '/environments', {
    service,
    name: 'prod-small',
    size: 'small',
    resources: ['pg01'],
    ttlHours: 24,
  });
  const waiting = await settled(small.run.id);
  save({ envId: small.environment.id, runId: waiting.id });
} else if (phase === 'approve') {
  const { envId, runId } = load();
  await approveAndTime(runId, 'apply (after a restart)');
  const destroy = await call('POST', `/environments/${envId}/runs`, {
    kind: 'destroy',
  });
  const run = await settled(destroy.id);
  if (run.status !== 'awaiting-approval')
    throw new Error(`destroy ${run.status}`);
  save({ envId, runId: destroy.id });
} else if (phase === 'approve-destroy') {
  const { runId } = load();
  await approveAndTime(runId, 'destroy (after a restart)');
}
