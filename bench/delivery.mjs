// The DORA figures on a generated history (see bench/delivery.sh).
//   node bench/delivery.mjs catalog SERVICES TEAMS   prints the catalog file
//   node bench/delivery.mjs measure URL DATABASE SCALE
import { createRequire } from 'node:module';
import path from 'node:path';
import { guestToken, percentile } from './lib.mjs';

const require = createRequire(import.meta.url);
const [mode, ...args] = process.argv.slice(2);
const pad = (n, width) => String(n).padStart(width, '0');

if (mode === 'catalog') {
  const [services, teams] = args.map(Number);
  const docs = [];
  for (let d = 1; d <= teams / 10; d++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `dept-${pad(d, 2)}` },
      spec: { type: 'department', children: [] },
    });
  }
  for (let t = 1; t <= teams; t++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${pad(t, 3)}` },
      spec: {
        type: 'team',
        parent: `dept-${pad(Math.ceil(t / 10), 2)}`,
        children: [],
      },
    });
  }
  for (let s = 1; s <= services; s++) {
    const template =
      s % 3 === 0 ? undefined : 'template:default/typescript-service';
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${pad(s, 4)}`,
        annotations: template
          ? {
              'backstage.io/source-template': template,
              'backstage.io/template-version': s % 2 ? '1.0.0' : '0.9.0',
            }
          : {},
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `team-${pad(((s - 1) % teams) + 1, 3)}`,
      },
    });
  }
  console.log(docs.map(d => JSON.stringify(d)).join('\n---\n'));
  process.exit(0);
}

const [base, database, scaleArg] = args;
const scale = Number(scaleArg ?? 1);
const knex = require(require.resolve('knex', {
  paths: [path.resolve('plugins/deployments-backend')],
}))({
  client: 'pg',
  connection: `${process.env.PAVED_PG_URL}/${database}`,
});
const perService = 100 * scale;

let started = Date.now();
// A year of production deployments per service, three commits each.
await knex.raw(
  `insert into deployments.deployments
     (id, idempotency_key, service, environment, commit_sha, version, outcome,
      finished_at, reported_by, source, commit_count, created_at)
   select md5(s || '-' || n), 'bench:' || s || ':' || n,
     'component:default/svc-' || lpad(s::text, 4, '0'), 'production',
     md5('c' || s || '-' || n) || '00000000', '1.' || n,
     case when random() < 0.1 then 'failure' else 'success' end,
     now() - (365.0 * (? - n) / ?) * interval '1 day'
           - random() * interval '6 hours',
     'bench', 'external', 3, now()
   from generate_series(1, 1000) s, generate_series(1, ?) n`,
  [perService, perService, perService],
);
await knex.raw(
  `insert into deployments.deployment_commits
     (deployment_id, sha, committed_at, message, position)
   select d.id, md5(d.id || k) || '00000000',
     d.finished_at - random() * interval '3 days', 'Change ' || k, k - 1
   from deployments.deployments d, generate_series(1, 3) k`,
);
await knex.raw(
  `insert into deployments.deployment_incidents
     (id, dedup_key, service, environment, title, severity, opened_at,
      resolved_at, source, created_by, created_at, updated_at)
   select md5('i' || i), 'bench:' || i,
     'component:default/svc-' || lpad((1 + (i * 7919) % 1000)::text, 4, '0'),
     'production', 'Incident ' || i, 'high',
     now() - random() * interval '365 days', null, 'api', 'bench', now(), now()
   from generate_series(1, ?) i`,
  [5000 * scale],
);
await knex.raw(
  `update deployments.deployment_incidents
     set resolved_at = opened_at + random() * interval '8 hours'`,
);
// What the store does in the same transaction as each deployment and
// incident: mark the service's facts out of date (here, from its first).
await knex.raw(
  `insert into deployments.deployment_facts_stale
     (service, environment, since, token)
   select service, environment, min(finished_at), 'bench'
   from deployments.deployments group by service, environment`,
);
await knex.raw('analyze deployments.deployments');
await knex.raw('analyze deployments.deployment_commits');
const counts = await Promise.all(
  ['deployments', 'deployment_commits', 'deployment_incidents'].map(
    async table =>
      Number(
        (
          await knex.withSchema('deployments').from(table).count({ n: '*' })
        )[0].n,
      ),
  ),
);
console.log(
  `history: ${counts[0]} deployments, ${counts[1]} commits, ${
    counts[2]
  } incidents (generated in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
);

const token = await guestToken(base);
async function measure(label, paths, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const url = `${base}/api/deployments${paths(i)}`;
    started = performance.now();
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = await res.json();
    times.push(performance.now() - started);
    if (!res.ok)
      throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  }
  console.log(
    `${label}: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(
      times,
      95,
    ).toFixed(0)} ms (${runs} requests)`,
  );
}
const ref = s => encodeURIComponent(s);
// The first read works out the facts of the whole history.
await measure(
  'first read: working out the facts of every deployment',
  () => '/metrics?days=30',
  1,
);
await measure('warm-up (organization)', () => '/metrics?days=30', 2);
await measure(
  "one service's figures, 30 days",
  i =>
    `/metrics?days=30&entity=${ref(
      `component:default/svc-${pad(1 + ((i * 37) % 1000), 4)}`,
    )}`,
  50,
);
await measure(
  "one service's figures, 90 days",
  i =>
    `/metrics?days=90&entity=${ref(
      `component:default/svc-${pad(1 + ((i * 53) % 1000), 4)}`,
    )}`,
  50,
);
await measure(
  "a team's figures (10 services), 30 days",
  i =>
    `/metrics?days=30&entity=${ref(
      `group:default/team-${pad(1 + ((i * 7) % 100), 3)}`,
    )}`,
  50,
);
await measure(
  "a department's figures (100 services), 30 days",
  i =>
    `/metrics?days=30&entity=${ref(
      `group:default/dept-${pad(1 + (i % 10), 2)}`,
    )}`,
  20,
);
await measure('the organization, 30 days', () => '/metrics?days=30', 10);
await measure(
  'the organization by team and golden path (insights), 30 days',
  () => '/insights?days=30',
  20,
);
await measure(
  'the organization by team and golden path (insights), 90 days',
  () => '/insights?days=90',
  5,
);

// A new deployment, stored as the store stores it, then its service's
// figures: the read works out the facts its deployment changed first.
{
  const times = [];
  for (let i = 0; i < 20; i++) {
    const service = `component:default/svc-${pad(1 + ((i * 41) % 1000), 4)}`;
    const id = `bench-new-${i}`;
    await knex.transaction(async tx => {
      await tx('deployments.deployments').insert({
        id,
        idempotency_key: `bench:new:${i}`,
        service,
        environment: 'production',
        commit_sha: `${id}`.padEnd(40, '0'),
        outcome: 'success',
        finished_at: new Date(),
        reported_by: 'bench',
        source: 'external',
        commit_count: 3,
        created_at: new Date(),
      });
      await tx('deployments.deployment_commits').insert(
        [0, 1, 2].map(k => ({
          deployment_id: id,
          sha: `${id}-${k}`.padEnd(40, '0'),
          committed_at: new Date(Date.now() - 3_600_000),
          message: `Change ${k}`,
          position: k,
        })),
      );
      await tx.raw(
        `insert into deployments.deployment_facts_stale
           (service, environment, since, token) values (?, 'production', now(), ?)
         on conflict (service, environment) do update
           set since = least(excluded.since, deployment_facts_stale.since),
               token = excluded.token`,
        [service, id],
      );
    });
    started = performance.now();
    const res = await fetch(
      `${base}/api/deployments/metrics?days=30&entity=${ref(service)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const body = await res.json();
    times.push(performance.now() - started);
    if (!res.ok || !body.deployments.some(d => d.id === id)) {
      throw new Error(`${service}: the new deployment is not in its figures`);
    }
  }
  console.log(
    `one service's figures right after a new deployment: p50 ${percentile(
      times,
      50,
    ).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms (20 requests)`,
  );
}
await knex.destroy();
