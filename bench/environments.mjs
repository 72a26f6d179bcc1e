// The environments plugin's figures: overhead over raw Terraform, list
// latency with a large history, and a TTL sweep.
// Usage: node bench/environments.mjs <backend url> [runs] [sweep size]
// (bench/environments.sh starts the backend and sets the variables).
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { guestToken } from './lib.mjs';

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
const sweepSize = Number(process.argv[4] ?? 100);
const dbUrl = process.env.PAVED_BENCH_DB_URL;
const work = process.env.PAVED_BENCH_WORK;
const root = path.resolve(import.meta.dirname, '..');
const suffix = Date.now().toString(36);

// node:http without keep-alive: the bench pauses for seconds while it runs
// Terraform by hand, and a reused socket the server closed meanwhile fails.
function api(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${url}`,
      {
        method,
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () =>
          res.statusCode >= 400
            ? reject(new Error(`${method} ${url}: ${res.statusCode} ${text}`))
            : resolve(JSON.parse(text)),
        );
      },
    );
    req.on('error', reject);
    req.end(body && JSON.stringify(body));
  });
}
const token = await guestToken(base);

const sleep = ms => new Promise(r => setTimeout(r, ms));
async function waitForRun(id) {
  for (;;) {
    const run = await api('GET', `/api/environments/runs/${id}`);
    if (!['queued', 'running'].includes(run.status)) return run;
    await sleep(50);
  }
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))
  ];
const psql = sql =>
  execFileSync('psql', [dbUrl, '-qAt', '-v', 'ON_ERROR_STOP=1'], {
    input: sql,
    encoding: 'utf8',
  });
const s = ms => `${(ms / 1000).toFixed(2)} s`;

// 1. Overhead: the same modules, through the portal and by hand.
const terraformEnv = {
  ...process.env,
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
  TF_CLI_CONFIG_FILE: path.join(work, 'terraformrc'),
  PATH: `${process.env.PATH}:/usr/sbin:/sbin`,
};
fs.writeFileSync(path.join(work, 'terraformrc'), '');
const MODULES = {
  postgres: [
    'postgres-database',
    {
      host: process.env.POSTGRES_HOST ?? '127.0.0.1',
      port: Number(process.env.POSTGRES_PORT ?? 5432),
      admin_user: process.env.POSTGRES_USER ?? 'postgres',
    },
  ],
  redis: ['redis-acl-user', {}],
  rabbitmq: ['rabbitmq-vhost', {}],
};
for (const resources of [['postgres'], ['postgres', 'redis', 'rabbitmq']]) {
  const portal = [];
  const queued = [];
  const running = [];
  const raw = [];
  const rawWithInit = [];
  for (let i = 0; i < runs; i++) {
    let t0 = Date.now();
    // A seeded service: the catalog must know the service and its owner.
    const { environment, run } = await api(
      'POST',
      '/api/environments/environments',
      {
        service: 'component:default/payments-api-service',
        name: `b${resources.length}${i}-${suffix}`,
        resources,
      },
    );
    const done = await waitForRun(run.id);
    if (done.status !== 'succeeded') throw new Error(done.error);
    portal.push(Date.now() - t0);
    queued.push(Date.parse(done.startedAt) - Date.parse(done.createdAt));
    running.push(Date.parse(done.finishedAt) - Date.parse(done.startedAt));
    await waitForRun(
      (
        await api(
          'POST',
          `/api/environments/environments/${environment.id}/runs`,
          { kind: 'destroy' },
        )
      ).id,
    );

    // By hand: a root module with the same modules and inputs.
    const dir = path.join(work, `raw-${resources.length}-${i}`);
    const module = {};
    for (const r of resources) {
      const [folder, inputs] = MODULES[r];
      fs.cpSync(
        path.join(root, 'terraform/modules', folder),
        path.join(dir, 'modules', folder),
        { recursive: true },
      );
      module[r] = {
        source: `./modules/${folder}`,
        service: `raw-${suffix}-${resources.length}-${i}`,
        environment: 'dev',
        password: randomBytes(24).toString('base64url'),
        ...inputs,
      };
    }
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({ module }),
    );
    const tf = args =>
      execFileSync('terraform', [`-chdir=${dir}`, ...args], {
        env: terraformEnv,
        stdio: 'pipe',
      });
    t0 = Date.now();
    tf(['init', '-input=false']);
    const t1 = Date.now();
    tf(['apply', '-auto-approve', '-input=false']);
    raw.push(Date.now() - t1);
    rawWithInit.push(Date.now() - t0);
    tf(['destroy', '-auto-approve', '-input=false']);
  }
  console.log(`Overhead, ${resources.join(' + ')}, median of ${runs}:`);
  console.log(
    `  portal (POST to run finished: queue, init, plan, apply): ${s(
      median(portal),
    )}`,
  );
  console.log(
    `    of which queued (request to claim): ${s(
      median(queued),
    )}, run (claim to recorded): ${s(median(running))}`,
  );
  console.log(
    `  terraform apply by hand: ${s(median(raw))}   init + apply by hand: ${s(
      median(rawWithInit),
    )}`,
  );
  console.log(
    `  ratio: ${(median(portal) / median(raw)).toFixed(2)}x over apply, ${(
      median(portal) / median(rawWithInit)
    ).toFixed(2)}x over init + apply`,
  );
}

// 2. List latency with 1,000 environments and 10,000 runs.
const rows = [];
const runRows = [];
const now = Date.now();
for (let i = 0; i < 1000; i++) {
  const id = randomUUID();
  const created = new Date(now - i * 60_000).toISOString();
  let last = null;
  for (let j = 0; j < 10; j++) {
    const runId = randomUUID();
    last = runId;
    runRows.push(
      `('${runId}','${id}','${
        j % 2 ? 'apply' : 'plan'
      }','succeeded','user:default/guest','${created}','${created}','${created}','{"add":1,"change":0,"remove":0,"changes":[]}')`,
    );
  }
  rows.push(
    `('${id}','dev','component:default/load-${i}','group:default/${
      ['payments', 'checkout', 'platform'][i % 3]
    }','small','["postgres"]','ready','in-sync','user:default/guest','${created}','2099-01-01T00:00:00.000Z','paved_env_x','${last}','{"postgres_database":"load_${i}_dev"}','v1.x.x.x')`,
  );
}
psql(
  `insert into environments.environments (id,name,service,owner,size,resources,status,drift,created_by,created_at,expires_at,state_key,last_run_id,outputs,secret_inputs) values ${rows.join(
    ',',
  )}`,
);
for (let i = 0; i < runRows.length; i += 1000) {
  psql(
    `insert into environments.runs (id,environment_id,kind,status,requested_by,created_at,started_at,finished_at,plan) values ${runRows
      .slice(i, i + 1000)
      .join(',')}`,
  );
}
const counts = psql(
  'select (select count(*) from environments.environments), (select count(*) from environments.runs)',
).trim();
for (const [label, query] of [
  ['all', ''],
  ['one owner', '?owner=group:default/payments'],
]) {
  const times = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    const body = await api('GET', `/api/environments/environments${query}`);
    times.push(performance.now() - t0);
    if (i === 0 && body.items.length < 300) throw new Error('list too short');
  }
  console.log(
    `List (${counts.replace('|', ' environments, ')} runs), ${label}: p50 ${pct(
      times,
      50,
    ).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (100 requests)`,
  );
}
psql(
  `delete from environments.environments where service like 'component:default/load-%'`,
);

// 3. A sweep of expired environments (Redis users: the quickest module).
const ids = [];
let t0 = Date.now();
for (let i = 0; i < sweepSize; i++) {
  const { environment } = await api('POST', '/api/environments/environments', {
    service: 'component:default/payments-api-service',
    name: `s${i}-${suffix}`,
    resources: ['redis'],
    ttlHours: 1,
  });
  ids.push(environment.id);
}
for (;;) {
  const left = psql(
    `select count(*) from environments.environments where id in (${ids
      .map(i => `'${i}'`)
      .join(',')}) and status <> 'ready'`,
  ).trim();
  if (left === '0') break;
  await sleep(500);
}
console.log(
  `Created ${sweepSize} environments (2 runs at a time): ${s(Date.now() - t0)}`,
);
psql(
  `update environments.environments set expires_at = '2000-01-01T00:00:00.000Z' where id in (${ids
    .map(i => `'${i}'`)
    .join(',')})`,
);
t0 = Date.now();
for (;;) {
  const left = psql(
    `select count(*) from environments.environments where id in (${ids
      .map(i => `'${i}'`)
      .join(',')}) and status <> 'destroyed'`,
  ).trim();
  if (left === '0') break;
  await sleep(250);
}
const sweptBy = psql(
  `select distinct destroyed_by from environments.environments where id in (${ids
    .map(i => `'${i}'`)
    .join(',')})`,
).trim();
console.log(
  `Sweep of ${sweepSize} expired environments (sweep every 5 s, 2 runs at a time): ${s(
    Date.now() - t0,
  )}, destroyed by ${sweptBy}`,
);
