// Times each golden path end to end and per step through the scaffolder API,
// then the same publishing done by hand (git init, add, commit, push of the
// same files to the same git host) for a ratio.
// Usage: node bench/golden-paths.mjs http://localhost:7098 [runs]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = process.argv[2] ?? 'http://localhost:7098';
const runs = Number(process.argv[3] ?? 3);
const suffix = Date.now().toString(36);

async function api(method, url, token, body) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token && { Authorization: `Bearer ${token}` }),
    },
    body: body && JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

const token = (await api('POST', '/api/auth/guest/refresh', undefined, {}))
  .backstageIdentity.token;
const gitToken = (await api('POST', '/api/git-host/tokens', token)).token;
const authed = base.replace('://', `://paved:${gitToken}@`);
const git = (cwd, ...args) =>
  execFileSync(
    'git',
    ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args],
    {
      cwd,
      stdio: 'pipe',
    },
  );

async function runTemplate(template, name) {
  const started = Date.now();
  const { id } = await api('POST', '/api/scaffolder/v2/tasks', token, {
    templateRef: `template:default/${template}`,
    values: {
      name,
      owner: 'group:default/payments',
      system: 'system:default/payments-platform',
      repoHost: 'paved',
      ciSystem: 'github-actions',
      environments: ['dev', 'staging', 'production'],
    },
  });
  for (;;) {
    const task = await api('GET', `/api/scaffolder/v2/tasks/${id}`, token);
    if (task.status === 'failed') throw new Error(`${template} failed`);
    if (task.status === 'completed') break;
    await new Promise(r => setTimeout(r, 50));
  }
  const wall = (Date.now() - started) / 1000;
  const events = await api(
    'GET',
    `/api/scaffolder/v2/tasks/${id}/events`,
    token,
  );
  const steps = {};
  for (const e of events) {
    const { stepId, status } = e.body ?? {};
    if (!stepId) continue;
    const at = new Date(e.createdAt).getTime();
    if (status === 'processing') steps[stepId] = { start: at };
    if (status === 'completed' && steps[stepId])
      steps[stepId].seconds = (at - steps[stepId].start) / 1000;
    if (status === 'skipped') steps[stepId] = { skipped: true };
  }
  const ran = Object.fromEntries(
    Object.entries(steps).filter(([, s]) => !s.skipped),
  );
  return { wall, steps: ran };
}

/** The same files, published by hand to a repository made the same way. */
async function byHand(source, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));
  fs.cpSync(source, dir, {
    recursive: true,
    filter: f => !f.includes(`${path.sep}.git`),
  });
  // By hand, too, the repository is created through the host's API first.
  const started = Date.now();
  await api('POST', '/api/git-host/repositories', token, {
    name,
    owner: 'group:default/payments',
  });
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', 'By hand');
  git(dir, 'push', '--quiet', `${authed}/api/git-host/git/${name}.git`, 'main');
  const seconds = (Date.now() - started) / 1000;
  fs.rmSync(dir, { recursive: true, force: true });
  return seconds;
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const template of [
  'typescript-service',
  'python-service',
  'static-web-app',
]) {
  const walls = [];
  const perStep = {};
  const hand = [];
  for (let i = 0; i < runs; i++) {
    const name = `bench-${template.split('-')[0]}-${suffix}-${i}`;
    const { wall, steps } = await runTemplate(template, name);
    walls.push(wall);
    for (const [step, { seconds }] of Object.entries(steps)) {
      (perStep[step] ??= []).push(seconds ?? 0);
    }
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-clone-'));
    git(
      clone,
      'clone',
      '--quiet',
      `${authed}/api/git-host/git/${name}.git`,
      'repo',
    );
    hand.push(await byHand(path.join(clone, 'repo'), `${name}-hand`));
    fs.rmSync(clone, { recursive: true, force: true });
  }
  const stepText = Object.entries(perStep)
    .map(([step, xs]) => `${step} ${median(xs).toFixed(2)} s`)
    .join(', ');
  console.log(
    `${template}: golden path ${median(walls).toFixed(
      2,
    )} s (median of ${runs}); steps: ${stepText}; ` +
      `by hand (create, git init, add, commit, push) ${median(hand).toFixed(
        2,
      )} s; ratio ${(median(walls) / median(hand)).toFixed(1)}x`,
  );
}
