import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { NewJob } from './PipelineStore';

/** gitlab-ci-local's entry point, from its package (pinned in yarn.lock). */
export function gitlabCiLocalPath() {
  return path.join(
    path.dirname(require.resolve('gitlab-ci-local/package.json')),
    'dist',
    'index.js',
  );
}

/** What runs a job: its environment and where. */
export interface JobProcessOptions {
  /** The checkout. */
  cwd: string;
  /** The job's whole environment: nothing of the portal's is inherited. */
  env: Record<string, string>;
  /** Gives gitlab-ci-local the job's variables (a YAML file, mode 0600). */
  variablesFile: string;
  /** gitlab-ci-local's own home (its ~/.gitlab-ci-local). */
  home: string;
}

const BASE_ARGS = ['--force-shell-executor', '--no-color'];

/**
 * The jobs gitlab-ci-local would run for the checkout's branch, with their
 * stage, needs and rules applied; throws with gitlab-ci-local's own message
 * for a file it cannot parse or that fails GitLab's schema.
 */
export async function listJobs(options: JobProcessOptions): Promise<NewJob[]> {
  const { code, stdout, stderr } = await collect(
    [
      gitlabCiLocalPath(),
      ...BASE_ARGS,
      '--list-json',
      '--variables-file',
      options.variablesFile,
      '--home',
      options.home,
    ],
    options,
  );
  const start = stdout.indexOf('[');
  if (code !== 0 || start < 0) {
    throw new Error(
      cleanMessage(`${stderr}\n${stdout}`) ||
        `gitlab-ci-local exited with ${code}`,
    );
  }
  const listed = JSON.parse(stdout.slice(start)) as Array<{
    name: string;
    stage: string;
    when: string;
    allow_failure: boolean | { exit_codes: number[] };
    needs?: Array<{ job: string }>;
  }>;
  const stages = [...new Set(listed.map(job => job.stage))];
  const environments = await environmentsOf(options);
  return listed
    .filter(job => job.when !== 'never')
    .map(job => ({
      name: job.name,
      stage: job.stage,
      stageIndex: stages.indexOf(job.stage),
      needs: job.needs?.map(n => n.job),
      when: job.when === 'manual' ? 'manual' : job.when,
      allowFailure: job.allow_failure === true,
      environment: environments.get(job.name),
    }));
}

/**
 * Each job's `environment:` name. Read from the file itself when it has no
 * `include:` or `extends:` (one gitlab-ci-local run fewer per pipeline),
 * else from gitlab-ci-local's expanded file.
 */
async function environmentsOf(options: JobProcessOptions) {
  const environments = new Map<string, string>();
  let text: string;
  try {
    text = await fs.readFile(path.join(options.cwd, '.gitlab-ci.yml'), 'utf8');
  } catch {
    return environments;
  }
  if (/^\s*(include|extends)\s*:/m.test(text)) {
    const { stdout } = await collect(
      [
        gitlabCiLocalPath(),
        ...BASE_ARGS,
        '--preview',
        '--no-json-schema-validation',
        '--variables-file',
        options.variablesFile,
        '--home',
        options.home,
      ],
      options,
    );
    text = stdout.slice(Math.max(0, stdout.search(/^\S/m)));
  }
  try {
    const doc = parse(text) as Record<string, any>;
    for (const [name, job] of Object.entries(doc ?? {})) {
      const env = job?.environment;
      const envName = typeof env === 'string' ? env : env?.name;
      if (typeof envName === 'string') environments.set(name, envName);
    }
  } catch {
    // No environments known: deploy jobs get no credentials.
  }
  return environments;
}

/** gitlab-ci-local's error without its stack trace. */
function cleanMessage(output: string) {
  return output
    .split('\n')
    .filter(
      line =>
        line.trim() &&
        !/^\s+at /.test(line) &&
        !/default remote branch|symbolic-ref|not a symbolic ref/.test(line) &&
        !/parsing and downloads finished|json schema validated/.test(line),
    )
    .join('\n')
    .slice(0, 4000)
    .trim();
}

/** A running job: its process group, output and exit. */
export interface JobProcess {
  pid: number;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  kill(graceMs: number): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts one job in its own process group. */
export function startJob(
  job: string,
  options: JobProcessOptions,
  onOutput: (text: string) => void,
): JobProcess {
  const child = spawn(
    process.execPath,
    [
      gitlabCiLocalPath(),
      ...BASE_ARGS,
      '--no-json-schema-validation',
      '--variables-file',
      options.variablesFile,
      '--home',
      options.home,
      '--max-job-name-padding',
      '0',
      job,
    ],
    {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.setEncoding('utf8').on('data', onOutput);
  child.stderr.setEncoding('utf8').on('data', onOutput);
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>(resolve => {
    child.on('error', () => resolve({ code: 127, signal: null }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let killTimer: NodeJS.Timeout | undefined;
  exited.then(() => clearTimeout(killTimer));
  return {
    pid: child.pid ?? -1,
    exited,
    kill(graceMs: number) {
      if (!child.pid || killTimer) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), graceMs);
    },
  };
}

/**
 * Kills every process working in `dir` (a pipeline's folder). gitlab-ci-local
 * may start a job's shell in a process group of its own, which a signal to
 * the job's group does not reach; its working folder gives it away.
 */
export async function killProcessesIn(dir: string) {
  const prefix = path.resolve(dir);
  let pids: string[];
  try {
    pids = (await fs.readdir('/proc')).filter(p => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  let killed = 0;
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      // A folder removed under a process reads as "<path> (deleted)".
      const cwd = (await fs.readlink(`/proc/${pid}/cwd`)).replace(
        / \(deleted\)$/,
        '',
      );
      if (cwd === prefix || cwd.startsWith(`${prefix}${path.sep}`)) {
        process.kill(Number(pid), 'SIGKILL');
        killed += 1;
      }
    } catch {
      // Gone, or not ours to look at.
    }
  }
  return killed;
}

export function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function collect(args: string[], options: JobProcessOptions) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>(
    resolve => {
      const child = spawn(process.execPath, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', d => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', d => (stderr += d));
      child.on('error', error =>
        resolve({ code: 127, stdout, stderr: String(error) }),
      );
      child.on('close', code => resolve({ code, stdout, stderr }));
    },
  );
}
