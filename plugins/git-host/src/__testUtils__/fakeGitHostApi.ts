import { ResponseError } from '@backstage/errors';
import {
  Branch,
  ChangedFile,
  ChangeRequest,
  Commit,
  GitHostApi,
  GitToken,
  HostedRepository,
  JobLogPage,
  PipelineDetails,
  PipelineJob,
  RepositoryContents,
} from '../api';

// Test data and a stand-in for the backend: the components under test talk
// to the GitHostApi interface, whose HTTP side GitHostClient.test covers.

export const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 60 * 60 * 1000).toISOString();

const base64 = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)));

export const shop: HostedRepository = {
  owner: 'group:default/payments',
  namespace: 'payments',
  name: 'shop',
  fullName: 'payments/shop',
  description: 'Takes the money',
  visibility: 'internal',
  createdBy: 'user:default/alice',
  createdAt: hoursAgo(48),
  cloneUrl: 'http://localhost:7007/api/git-host/payments/shop.git',
  defaultBranch: 'main',
  protectTags: false,
  lastCommit: {
    sha: '0123456789abcdef0123456789abcdef01234567',
    author: 'Alice',
    date: hoursAgo(3),
    message: 'Add refunds',
  },
  permissions: { read: true, write: true, admin: false },
};

export const emptyRepository: HostedRepository = {
  ...shop,
  owner: 'not an entity ref',
  namespace: 'payments',
  name: 'empty',
  fullName: 'payments/empty',
  description: undefined,
  visibility: 'private',
  cloneUrl: 'http://localhost:7007/api/git-host/payments/empty.git',
  lastCommit: undefined,
};

export const branches: Branch[] = [
  {
    name: 'main',
    commit: {
      id: '0123456789abcdef0123456789abcdef01234567',
      message: 'Add refunds\n\nWith a test.',
      timestamp: hoursAgo(3),
      author: { name: 'Alice', email: 'alice@example.com' },
    },
  },
  {
    name: 'feature/receipts',
    commit: {
      id: 'fedcba9876543210fedcba9876543210fedcba98',
      message: 'Send receipts',
      timestamp: hoursAgo(1),
      author: { name: 'Bob', email: 'bob@example.com' },
    },
  },
];

export const commits: Commit[] = [
  {
    sha: '0123456789abcdef0123456789abcdef01234567',
    html_url: '',
    commit: {
      message: 'Add refunds\n\nWith a test.',
      author: { name: 'Alice', email: 'alice@example.com', date: hoursAgo(3) },
    },
  },
  {
    sha: '89abcdef0123456789abcdef0123456789abcdef',
    html_url: '',
    commit: {
      message: 'Initial commit',
      author: { name: 'Bob', email: 'bob@example.com', date: hoursAgo(30) },
    },
  },
];

/** The files of shop on main: a README, a folder and a logo. */
export const contents: Record<string, RepositoryContents> = {
  '': [
    { type: 'file', name: 'README.md', path: 'README.md', sha: 'a1', size: 31 },
    { type: 'dir', name: 'src', path: 'src', sha: 'b2', size: 0 },
  ],
  src: [
    {
      type: 'file',
      name: 'logo.png',
      path: 'src/logo.png',
      sha: 'c3',
      size: 2048,
    },
    { type: 'file', name: 'pay.ts', path: 'src/pay.ts', sha: 'd4', size: 42 },
  ],
  'README.md': {
    type: 'file',
    name: 'README.md',
    path: 'README.md',
    sha: 'a1',
    size: 31,
    encoding: 'base64',
    content: base64('# Shop\n\nTakes the money.\n'),
  },
  'src/pay.ts': {
    type: 'file',
    name: 'pay.ts',
    path: 'src/pay.ts',
    sha: 'd4',
    size: 42,
    encoding: 'base64',
    content: base64('export function pay() {\n  return 42;\n}\n'),
  },
  'src/logo.png': {
    type: 'file',
    name: 'logo.png',
    path: 'src/logo.png',
    sha: 'c3',
    size: 2048,
    encoding: 'base64',
    content: btoa('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR'),
  },
};

export const openChangeRequest: ChangeRequest = {
  number: 3,
  title: 'Send receipts',
  body: 'Mails a receipt after **every** payment.',
  state: 'open',
  merged: false,
  mergeable: true,
  head: {
    ref: 'feature/receipts',
    sha: 'fedcba9876543210fedcba9876543210fedcba98',
  },
  base: { ref: 'main', sha: '0123456789abcdef0123456789abcdef01234567' },
  user: { login: 'user:default/bob' },
  created_at: hoursAgo(2),
  updated_at: hoursAgo(1),
  html_url: '',
};

export const mergedChangeRequest: ChangeRequest = {
  ...openChangeRequest,
  number: 2,
  title: 'Add refunds',
  state: 'closed',
  merged: true,
  merged_at: hoursAgo(3),
  merged_by: { login: 'user:default/alice' },
  merge_commit_sha: '0123456789abcdef0123456789abcdef01234567',
  head: { ref: 'refunds', sha: '0123456789abcdef0123456789abcdef01234567' },
};

export const changedFiles: ChangedFile[] = [
  {
    filename: 'src/pay.ts',
    status: 'modified',
    additions: 2,
    deletions: 1,
    changes: 3,
    binary: false,
    too_large: false,
    patch: [
      '@@ -1,3 +1,4 @@',
      ' export function pay() {',
      '-  return 42;',
      '+  sendReceipt();',
      '+  return 43;',
      ' }',
    ].join('\n'),
  },
  {
    filename: 'src/logo.png',
    status: 'added',
    additions: 0,
    deletions: 0,
    changes: 0,
    binary: true,
    too_large: false,
  },
  {
    filename: 'package-lock.json',
    status: 'modified',
    additions: 9000,
    deletions: 8000,
    changes: 17000,
    binary: false,
    too_large: true,
  },
];

export const tokens: GitToken[] = [
  {
    id: 'token-1',
    name: 'laptop',
    subject: 'user:default/alice',
    scope: 'write',
    createdAt: hoursAgo(24 * 10),
    expiresAt: new Date(Date.now() + 80 * 24 * 60 * 60 * 1000).toISOString(),
    lastUsedAt: hoursAgo(2),
  },
  {
    id: 'token-2',
    name: 'ci',
    subject: 'user:default/alice',
    repository: 'payments/shop',
    scope: 'read',
    createdAt: hoursAgo(24 * 40),
    expiresAt: new Date(Date.now() + 50 * 24 * 60 * 60 * 1000).toISOString(),
  },
  {
    id: 'token-3',
    name: 'old laptop',
    subject: 'user:default/alice',
    scope: 'write',
    createdAt: hoursAgo(24 * 100),
    expiresAt: hoursAgo(24 * 10),
    revokedAt: hoursAgo(24 * 20),
  },
];

const job = (patch: Partial<PipelineJob> & { name: string }): PipelineJob => ({
  id: `job-${patch.name}`,
  stage: 'build',
  status: 'success',
  when: 'on_success',
  allowFailure: false,
  logBytes: 120,
  ...patch,
});

/**
 * Pipeline #12 of shop, running: build passed, test runs, deploy-dev waits
 * for it and deploy-prod is manual.
 */
export const runningPipeline: PipelineDetails = {
  id: 'pipeline-12',
  number: 12,
  repository: 'payments/shop',
  ref: 'main',
  sha: '0123456789abcdef0123456789abcdef01234567',
  trigger: 'push',
  createdBy: 'user:default/alice',
  status: 'running',
  createdAt: hoursAgo(0.1),
  startedAt: hoursAgo(0.1),
  webUrl: 'http://localhost:7007/repositories/payments/shop/pipelines/12',
  runner: true,
  jobs: [
    job({
      name: 'build',
      startedAt: hoursAgo(0.1),
      finishedAt: hoursAgo(0.09),
      durationMs: 65_000,
    }),
    job({
      name: 'unit-tests',
      stage: 'test',
      status: 'running',
      startedAt: hoursAgo(0.05),
    }),
    job({
      name: 'deploy-dev',
      stage: 'deploy',
      status: 'created',
      environment: 'dev',
      logBytes: 0,
    }),
    job({
      name: 'deploy-prod',
      stage: 'deploy',
      status: 'manual',
      when: 'manual',
      environment: 'prod',
      logBytes: 0,
    }),
  ],
};

/** Pipeline #11, finished: lint failed and its log was cut off. */
export const failedPipeline: PipelineDetails = {
  ...runningPipeline,
  id: 'pipeline-11',
  number: 11,
  sha: '89abcdef0123456789abcdef0123456789abcdef',
  trigger: 'change_request',
  changeRequest: 3,
  createdBy: 'user:default/bob',
  status: 'failed',
  createdAt: hoursAgo(5),
  startedAt: hoursAgo(5),
  finishedAt: hoursAgo(4.9),
  durationMs: 185_000,
  webUrl: 'http://localhost:7007/repositories/payments/shop/pipelines/11',
  jobs: [
    job({
      name: 'lint',
      stage: 'test',
      status: 'failed',
      exitCode: 1,
      durationMs: 12_000,
      logBytes: 2 * 1024 * 1024,
      logTruncated: true,
    }),
    job({ name: 'deploy-dev', stage: 'deploy', status: 'skipped' }),
  ],
};

/** Pipeline #10, whose .gitlab-ci.yml could not be read. */
export const invalidPipeline: PipelineDetails = {
  ...failedPipeline,
  id: 'pipeline-10',
  number: 10,
  trigger: 'push',
  status: 'invalid',
  error: '.gitlab-ci.yml: jobs:build:script must be a string or a list',
  durationMs: undefined,
  jobs: [],
};

export const pipelines = [runningPipeline, failedPipeline, invalidPipeline];

/** Each job's log as the backend stores it, in chunks. */
export const jobLogs: Record<string, string[]> = {
  build: ['$ yarn install\n', 'Done in 12s\n'],
  'unit-tests': ['$ yarn test\n', 'PASS src/pay.test.ts\n'],
  lint: ['$ yarn lint\n', 'error  token=[MASKED] is unused\n'],
};

/** A job's log after a chunk, the job as it is in its pipeline. */
export function jobLogPage(
  number: number,
  name: string,
  after = 0,
): JobLogPage {
  const pipeline = pipelines.find(p => p.number === number)!;
  const found = pipeline.jobs.find(j => j.name === name)!;
  return {
    job: found,
    chunks: (jobLogs[name] ?? [])
      .map((text, index) => ({ seq: index + 1, text }))
      .filter(chunk => chunk.seq > after),
  };
}

/** A backend error as GitHostClient throws it. */
export function responseError(
  statusCode: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name, message }, response: { statusCode } }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

/** Every method a jest mock; the defaults answer for payments/shop. */
export function fakeGitHostApi(
  overrides: Partial<GitHostApi> = {},
): jest.Mocked<GitHostApi> {
  return {
    listRepositories: jest.fn(async () => [shop, emptyRepository]),
    getRepository: jest.fn(async ({ name }) =>
      name === 'empty' ? emptyRepository : shop,
    ),
    getContents: jest.fn(async (_repository, { path }) => {
      if (!(path in contents)) {
        throw await responseError(404, 'NotFoundError', `No ${path}`);
      }
      return contents[path];
    }),
    listBranches: jest.fn(async ({ name }) =>
      name === 'empty' ? [] : branches,
    ),
    listCommits: jest.fn(async () => commits),
    listChangeRequests: jest.fn(async () => [
      openChangeRequest,
      mergedChangeRequest,
    ]),
    createChangeRequest: jest.fn(async (_repository, request) => ({
      ...openChangeRequest,
      number: 4,
      title: request.title,
    })),
    getChangeRequest: jest.fn(async (_repository, index) =>
      index === mergedChangeRequest.number
        ? mergedChangeRequest
        : openChangeRequest,
    ),
    listChangeRequestCommits: jest.fn(async () => commits.slice(0, 1)),
    listChangeRequestFiles: jest.fn(async () => changedFiles),
    mergeChangeRequest: jest.fn(async () => ({
      ...openChangeRequest,
      state: 'closed' as const,
      merged: true,
      merged_at: new Date().toISOString(),
      merged_by: { login: 'user:default/alice' },
      merge_commit_sha: 'abcdef1234567890abcdef1234567890abcdef12',
    })),
    updateChangeRequest: jest.fn(async (_repository, _index, patch) => ({
      ...openChangeRequest,
      state: patch.state ?? openChangeRequest.state,
    })),
    listTokens: jest.fn(async () => tokens),
    issueToken: jest.fn(async options => ({
      ...tokens[0],
      id: 'token-new',
      name: options?.name ?? 'git token',
      token: 'pgt_secret-token',
    })),
    revokeToken: jest.fn(async () => undefined),
    listDeployTokens: jest.fn(async () => tokens.slice(1, 2)),
    issueDeployToken: jest.fn(async () => ({
      ...tokens[1],
      token: 'pgt_deploy',
    })),
    getTokenPolicy: jest.fn(async () => ({ defaultDays: 90, maxDays: 365 })),
    listPipelines: jest.fn(async () => ({ runner: true, items: pipelines })),
    getPipeline: jest.fn(async (_repository, number) => {
      const found = pipelines.find(p => p.number === number);
      if (!found) {
        throw await responseError(404, 'NotFoundError', `No #${number}`);
      }
      return found;
    }),
    getJobLog: jest.fn(async (_repository, number, name, options) =>
      jobLogPage(number, name, options?.after),
    ),
    cancelPipeline: jest.fn(async () => ({ state: 'canceling' as const })),
    rerunPipeline: jest.fn(async () => ({
      ...runningPipeline,
      id: 'pipeline-13',
      number: 13,
      trigger: 'rerun' as const,
      status: 'queued' as const,
    })),
    playJob: jest.fn(async () => runningPipeline),
    ...overrides,
  } as jest.Mocked<GitHostApi>;
}
