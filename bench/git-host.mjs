// The git host's figures (see bench/git-host.sh). Prints one line per figure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { guestToken } from './lib.mjs';

const [base, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const work = process.env.PAVED_BENCH_WORK;
const gitHost = `${base}/api/git-host`;

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const seconds = ms => `${(ms / 1000).toFixed(2)} s`;
const time = fn => {
  const started = performance.now();
  fn();
  return performance.now() - started;
};
const timeAsync = async fn => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

const token = await guestToken(base);
const api = async (method, url, body) => {
  const res = await fetch(`${gitHost}${url}`, {
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
const gitToken = (await api('POST', '/tokens', { name: 'bench' })).token;
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

// A 1,000-file repository: 20 folders of 50 files of about 2 KB each.
const source = path.join(work, 'source');
fs.mkdirSync(source);
git(source, 'init', '--quiet', '--initial-branch=main');
for (let d = 0; d < 20; d++) {
  fs.mkdirSync(path.join(source, `module-${d}`));
  for (let f = 0; f < 50; f++) {
    const lines = Array.from(
      { length: 60 },
      (_, i) => `export const v${i} = ${d * 1000 + f * 60 + i}; // line ${i}`,
    );
    fs.writeFileSync(
      path.join(source, `module-${d}`, `file-${f}.ts`),
      `${lines.join('\n')}\n`,
    );
  }
}
git(source, 'add', '--all');
git(source, 'commit', '--quiet', '-m', 'A thousand files');

const portalPush = [];
const filePush = [];
const portalClone = [];
const fileClone = [];
let last;
for (let run = 0; run < runs; run++) {
  const repo = await api('POST', '/repositories', {
    name: `bench-${run}`,
    owner: 'group:default/platform',
  });
  last = repo;
  portalPush.push(
    time(() => git(source, 'push', '--quiet', repo.cloneUrl, 'main')),
  );
  const bare = path.join(work, `bare-${run}.git`);
  git(work, 'init', '--quiet', '--bare', bare);
  filePush.push(time(() => git(source, 'push', '--quiet', bare, 'main')));
  portalClone.push(
    time(() =>
      git(
        work,
        'clone',
        '--quiet',
        repo.cloneUrl,
        path.join(work, `clone-${run}`),
      ),
    ),
  );
  fileClone.push(
    time(() =>
      git(
        work,
        'clone',
        '--quiet',
        `file://${bare}`,
        path.join(work, `fclone-${run}`),
      ),
    ),
  );
}
const ratio = (a, b) => `${(median(a) / median(b)).toFixed(2)}x`;
console.log(
  `push of 1,000 files: portal ${seconds(
    median(portalPush),
  )}, git over the filesystem ${seconds(median(filePush))}, ratio ${ratio(
    portalPush,
    filePush,
  )}`,
);
console.log(
  `clone of 1,000 files: portal ${seconds(
    median(portalClone),
  )}, git over the filesystem ${seconds(median(fileClone))}, ratio ${ratio(
    portalClone,
    fileClone,
  )}`,
);

// readTree through Backstage's own Gitea URL reader, as fetch:template does.
const reader = UrlReaders.default({
  config: new ConfigReader({
    integrations: {
      gitea: [
        {
          host: new URL(base).host,
          baseUrl: gitHost,
          username: 'gitea-integration',
          password: 'local-portal-git-integration',
        },
      ],
    },
  }),
  logger: {
    child: () => undefined,
    debug() {},
    info() {},
    warn() {},
    error() {},
  },
});
const treeTimes = [];
let count = 0;
for (let run = 0; run < runs; run++) {
  treeTimes.push(
    await timeAsync(async () => {
      const tree = await reader.readTree(
        `${gitHost}/${last.fullName}/src/branch/main/`,
      );
      count = (await tree.files()).length;
    }),
  );
}
console.log(
  `readTree of 1,000 files (Gitea URL reader): ${seconds(
    median(treeTimes),
  )} (${count} files)`,
);

// A change request of 200 changed files.
git(source, 'checkout', '--quiet', '-b', 'wide-change');
for (let i = 0; i < 200; i++) {
  const file = path.join(
    source,
    `module-${i % 20}`,
    `file-${Math.floor(i / 20)}.ts`,
  );
  fs.appendFileSync(file, `export const changed${i} = true;\n`);
}
git(source, 'commit', '--quiet', '-am', 'Two hundred files');
git(source, 'push', '--quiet', last.cloneUrl, 'wide-change');
const cr = await api('POST', `/api/v1/repos/${last.fullName}/pulls`, {
  title: 'Wide change',
  head: 'wide-change',
});
const diffTimes = [];
let files = [];
for (let run = 0; run < runs; run++) {
  diffTimes.push(
    await timeAsync(async () => {
      files = await api(
        'GET',
        `/api/v1/repos/${last.fullName}/pulls/${cr.number}/files`,
      );
    }),
  );
}
console.log(
  `change request diff of ${files.length} changed files: ${seconds(
    median(diffTimes),
  )}`,
);
