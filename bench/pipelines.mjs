// Pipelines and deployment reports (see bench/pipelines.sh). Prints one line
// per figure.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { guestToken } from './lib.mjs';

const [base, runsArg, reportsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 10);
const reports = Number(reportsArg ?? 2000);
const work = process.env.PAVED_BENCH_WORK;
const require = createRequire(import.meta.url);
const gitlabCiLocal = path.join(
  path.dirname(
    require.resolve('gitlab-ci-local/package.json', {
      paths: [path.resolve('plugins/git-host-backend')],
    }),
  ),
  'dist',
  'index.js',
);

const sleep = ms => new Promise(r => setTimeout(r, ms));
// A keep-alive connection the server closes as a request goes out fails
// that request: try it again on a new one.
const nativeFetch = globalThis.fetch;
const fetch = async (url, init) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await nativeFetch(url, init);
    } catch (error) {
      if (attempt >= 3) throw error;
      await sleep(100);
    }
  }
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))
  ];
};
const seconds = ms => `${(ms / 1000).toFixed(2)} s`;

const token = await guestToken(base);
const api = async (method, url, body) => {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body && JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
};

const name = `bench-ci-${Date.now()}`;
const repo = await api('POST', '/api/git-host/repositories', {
  name,
  owner: 'group:default/platform',
});
const gitToken = (await api('POST', '/api/git-host/tokens', { name: 'bench' }))
  .token;
const env = {
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'http.extraHeader',
  GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
    `bench:${gitToken}`,
  ).toString('base64')}`,
};
const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, env, stdio: 'pipe' });
const source = path.join(work, 'source');
fs.mkdirSync(source);
git(source, 'init', '--quiet', '--initial-branch=main');
fs.writeFileSync(
  path.join(source, '.gitlab-ci.yml'),
  `stages: [build, test, deploy]
build:
  stage: build
  script:
    - node -e "let s = 0; for (let i = 0; i < 3e7; i++) s += i; console.log('built', s)"
test:
  stage: test
  needs: [build]
  script:
    - node -e "console.log('tested')"
deploy-dev:
  stage: deploy
  needs: [test]
  script:
    - echo deployed
`,
);
fs.writeFileSync(
  path.join(source, 'catalog-info.yaml'),
  `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/platform
`,
);
git(source, 'add', '--all');
git(source, 'commit', '--quiet', '-m', 'Pipeline');

const pipelinesUrl = `/api/git-host/repositories/platform/${name}/pipelines`;
const waitFinished = async number => {
  for (;;) {
    const res = await fetch(`${base}${pipelinesUrl}/${number}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (res.ok) {
      const body = await res.json();
      if (
        ['success', 'failed', 'invalid', 'canceled', 'interrupted'].includes(
          body.status,
        )
      )
        return body;
    }
    await sleep(50);
  }
};

// The portal: a push, then the pipeline to its end.
const latencies = [];
const portalTimes = [];
for (let i = 1; i <= runs; i++) {
  if (i > 1) {
    fs.writeFileSync(path.join(source, 'run.txt'), `${i}\n`);
    git(source, 'add', '--all');
    git(source, 'commit', '--quiet', '-m', `Run ${i}`);
  }
  git(source, 'push', '--quiet', repo.cloneUrl, 'main');
  const pushed = Date.now();
  const done = await waitFinished(i);
  if (done.status !== 'success')
    throw new Error(`pipeline #${i} ${done.status}: ${done.error ?? ''}`);
  latencies.push(Date.parse(done.jobs[0].startedAt) - pushed);
  portalTimes.push(Date.parse(done.finishedAt) - pushed);
}

// By hand: gitlab-ci-local on a checkout of the same commit, the whole
// pipeline in one run.
const handTimes = [];
for (let i = 1; i <= runs; i++) {
  const checkout = path.join(work, `hand-${i}`);
  git(work, 'clone', '--quiet', repo.cloneUrl, checkout);
  const started = performance.now();
  execFileSync(
    process.execPath,
    [gitlabCiLocal, '--force-shell-executor', '--no-color'],
    {
      cwd: checkout,
      stdio: 'pipe',
    },
  );
  handTimes.push(performance.now() - started);
}
const portal = percentile(portalTimes, 50);
const hand = percentile(handTimes, 50);
console.log(
  `pipeline (3 stages, 3 jobs), push to finished, portal: median ${seconds(
    portal,
  )} over ${runs} runs`,
);
console.log(
  `pipeline by hand (gitlab-ci-local --force-shell-executor, one process): median ${seconds(
    hand,
  )}`,
);
console.log(`portal over by hand: ${(portal / hand).toFixed(2)}x`);
console.log(
  `push to first job started: p50 ${seconds(
    percentile(latencies, 50),
  )}, p95 ${seconds(percentile(latencies, 95))}`,
);

// Deployment reports: the component must be in the catalog.
await api('POST', '/api/catalog/locations', {
  type: 'url',
  target: `${base}/api/git-host/platform/${name}/src/branch/main/catalog-info.yaml`,
});
for (;;) {
  const res = await fetch(
    `${base}/api/catalog/entities/by-name/component/default/${name}`,
    {
      headers: { Authorization: `Bearer ${token}` },
    },
  );
  if (res.ok) break;
  await sleep(200);
}
const deployToken = (
  await api(
    'POST',
    `/api/git-host/repositories/platform/${name}/deploy-tokens`,
    {
      scope: 'deployments:report',
    },
  )
).token;
const commit = git(source, 'rev-parse', 'HEAD').toString().trim();
const send = async key => {
  const res = await fetch(`${base}/api/deployments/report`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${deployToken}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      service: name,
      environment: 'dev',
      commit,
      outcome: 'success',
      pipelineUrl: `https://ci.example/${key}`,
      idempotencyKey: `bench-${key}`,
    }),
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`report ${key}: ${res.status} ${await res.text()}`);
  return res.status;
};
const blast = async () => {
  let next = 0;
  const statuses = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < reports) {
        const key = next++;
        statuses.push(await send(key));
      }
    }),
  );
  return { ms: performance.now() - started, statuses };
};
const fresh = await blast();
const again = await blast();
console.log(
  `deployment reports, new: ${Math.round(
    (reports / fresh.ms) * 1000,
  )}/s (${reports} reports, 16 at a time, ${
    fresh.statuses.filter(s => s === 201).length
  } recorded)`,
);
console.log(
  `deployment reports, re-sent: ${Math.round((reports / again.ms) * 1000)}/s (${
    again.statuses.filter(s => s === 200).length
  } answered as duplicates, none stored twice)`,
);
