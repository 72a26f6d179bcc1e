// N environment requests at once and M golden paths at once (each with an
// environment) against one backend: successes, retried steps and the peak
// number of PostgreSQL connections. Usage: node bench/load.mjs <url> [N] [M]
// (bench/load.sh starts the backend and sets the variables).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { guestToken } from './lib.mjs';

const base = process.argv[2];
const environments = Number(process.argv[3] ?? 20);
const goldenPaths = Number(process.argv[4] ?? 10);
const pg = process.env.PAVED_BENCH_PG_URL;
const suffix = Date.now().toString(36);

async function api(method, url, body) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
    },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}
const token = await guestToken(base);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const psql = sql =>
  execFileSync('psql', [`${pg}/postgres`, '-qAt', '-c', sql], {
    encoding: 'utf8',
  }).trim();

const maxConnections = Number(psql('show max_connections'));
let peak = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    peak = Math.max(
      peak,
      Number(psql('select count(*) from pg_stat_activity')),
    );
    await sleep(200);
  }
})();
const retries = () =>
  (
    fs
      .readFileSync(process.env.PAVED_BENCH_LOG, 'utf8')
      .match(/out of connections or restarting/g) ?? []
  ).length;

async function waitForRun(id) {
  for (;;) {
    const run = await api('GET', `/api/environments/runs/${id}`);
    if (!['queued', 'running'].includes(run.status)) return run;
    await sleep(250);
  }
}
async function waitForTask(id) {
  for (;;) {
    const task = await api('GET', `/api/scaffolder/v2/tasks/${id}`);
    if (['completed', 'failed', 'cancelled'].includes(task.status)) return task;
    await sleep(500);
  }
}
const made = [];
async function destroyAll() {
  const runs = await Promise.all(
    made.map(id =>
      api('POST', `/api/environments/environments/${id}/runs`, {
        kind: 'destroy',
      }).catch(() => undefined),
    ),
  );
  await Promise.all(runs.filter(Boolean).map(r => waitForRun(r.id)));
  made.length = 0;
}

// 1. N environments at once, each with a database.
let started = Date.now();
const requests = await Promise.allSettled(
  Array.from({ length: environments }, (_, i) =>
    api('POST', '/api/environments/environments', {
      service: 'component:default/payments-api-service',
      name: `load-${suffix}-${i}`.slice(0, 20),
      size: 'small',
      resources: ['postgres'],
      ttlHours: 1,
    }),
  ),
);
const accepted = requests
  .filter(r => r.status === 'fulfilled')
  .map(r => r.value);
made.push(...accepted.map(r => r.environment.id));
const outcomes = await Promise.all(accepted.map(r => waitForRun(r.run.id)));
const envSeconds = (Date.now() - started) / 1000;
const envFailed = outcomes.filter(r => r.status !== 'succeeded');
console.log(
  `${environments} environments at once: ${accepted.length} accepted, ${
    outcomes.length - envFailed.length
  } applied, ${envFailed.length} failed, in ${envSeconds.toFixed(1)} s`,
);
for (const run of envFailed) console.log(`  failed: ${run.error}`);
console.log(`  Terraform steps retried after a transient error: ${retries()}`);
console.log(`  peak connections: ${peak} of max_connections ${maxConnections}`);
await destroyAll();

// 2. M golden paths at once, each with a dev environment.
const retriedBefore = retries();
peak = 0;
started = Date.now();
const tasks = await Promise.all(
  Array.from({ length: goldenPaths }, (_, i) =>
    api('POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/typescript-service',
      values: {
        name: `load-${suffix}-gp${i}`,
        owner: 'group:default/payments',
        system: 'system:default/payments-platform',
        repoHost: 'paved',
        ciSystem: 'gitlab-ci',
        environments: ['dev'],
        createEnvironment: true,
        environmentName: 'dev',
        environmentSize: 'small',
        environmentResources: ['postgres'],
        environmentTtlHours: 1,
      },
    }),
  ),
);
const finished = await Promise.all(tasks.map(t => waitForTask(t.id)));
const gpSeconds = (Date.now() - started) / 1000;
const completed = finished.filter(t => t.status === 'completed').length;
console.log(
  `${goldenPaths} golden paths at once with an environment: ${completed} completed, ${
    goldenPaths - completed
  } failed, in ${gpSeconds.toFixed(1)} s`,
);
console.log(
  `  Terraform steps retried after a transient error: ${
    retries() - retriedBefore
  }`,
);
console.log(`  peak connections: ${peak} of max_connections ${maxConnections}`);
const envs = await api('GET', '/api/environments/environments');
made.push(
  ...envs.items
    .filter(e => e.service.includes(`load-${suffix}-gp`))
    .map(e => e.id),
);
await destroyAll();
sampling = false;
await sampler;
