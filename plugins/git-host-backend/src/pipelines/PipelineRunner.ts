import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { LoggerService } from '@backstage/backend-plugin-api';
import { stringify } from 'yaml';
import { BareRepositories } from '../service/BareRepositories';
import { RepositoryRecord, RepositoryStore } from '../service/RepositoryStore';
import {
  killGroup,
  killProcessesIn,
  listJobs,
  startJob,
  JobProcessOptions,
} from './GitlabCiLocal';
import { JobLog, LogMasker } from './LogWriter';
import {
  JobRecord,
  JobStatus,
  PipelineRecord,
  PipelineStatus,
  PipelineStore,
} from './PipelineStore';
import { PipelinesConfig } from './config';

const execFileAsync = promisify(execFile);

const HEARTBEAT_MS = 5_000;
/** A pipeline whose replica missed heartbeats this long is considered lost. */
const STALE_MS = 30_000;
const LOG_FLUSH_MS = 1_000;

/** Variables a job gets; `masked` values never reach a stored log. */
export interface JobVariables {
  variables: Record<string, string>;
  masked: string[];
  /** Runs after the job, whatever its outcome (revokes its report token). */
  release?: () => Promise<void>;
}

export type JobVariablesProvider = (context: {
  pipeline: PipelineRecord;
  repository: RepositoryRecord;
  job: JobRecord;
  log: (line: string) => void;
}) => Promise<JobVariables>;

type StopReason = 'cancel' | 'shutdown' | 'timeout';

const STOP_NOTES: Record<StopReason, (timeoutMs: number) => string> = {
  cancel: () => 'Paved runner: the pipeline was canceled; stopping the job',
  timeout: ms =>
    `Paved runner: the job ran longer than its timeout of ${Math.round(
      ms / 1000,
    )} s (gitHost.pipelines.jobTimeout); stopping it`,
  shutdown: () => 'Paved runner: the backend is stopping; stopping the job',
};

interface ActivePipeline {
  pipeline: PipelineRecord;
  done: Promise<void>;
  stop?: StopReason;
  killJob?: (reason: StopReason) => void;
}

/** Whether `claimedBy` (`host:pid:uuid`) was a process of this host that is gone. */
export function isDeadLocalReplica(
  claimedBy: string | undefined,
  ours: string,
) {
  if (!claimedBy || claimedBy === ours) return false;
  const [host, pid] = claimedBy.split(':');
  const [ourHost, ourPid] = ours.split(':');
  if (host !== ourHost || !/^\d+$/.test(pid ?? '')) return false;
  if (pid === ourPid) return true;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Runs queued pipelines with gitlab-ci-local, one job at a time per
 * pipeline, up to `concurrency` pipelines at once on this replica, one at a
 * time per repository (so two pushes run in order). Each pipeline gets a
 * fresh checkout in its own folder, removed afterwards; each job a scrubbed
 * environment and its own process group.
 */
export class PipelineRunner {
  private readonly active = new Map<string, ActivePipeline>();
  private timers?: NodeJS.Timeout[];
  private polling?: Promise<void>;
  private repoll = false;
  private stopping = false;

  constructor(
    private readonly deps: {
      store: PipelineStore;
      repositoryStore: RepositoryStore;
      repositories: BareRepositories;
      logger: LoggerService;
      config: PipelinesConfig;
      instanceId: string;
      variables: JobVariablesProvider;
      /** The clone URL jobs see as `origin`. */
      cloneUrl: (repository: RepositoryRecord) => string;
      pipelineUrl: (
        repository: RepositoryRecord,
        pipeline: PipelineRecord,
      ) => string;
      onFinished?: (pipeline: PipelineRecord, status: PipelineStatus) => void;
    },
  ) {}

  async start() {
    await fs.mkdir(this.deps.config.workDir, { recursive: true });
    this.timers = [
      setInterval(() => this.wake(), this.deps.config.pollIntervalMs),
      setInterval(() => this.heartbeat(), HEARTBEAT_MS),
      setInterval(() => this.recoverLost(), STALE_MS / 2),
    ];
    await this.recoverLost();
    this.wake();
  }

  wake() {
    if (this.stopping) return;
    if (this.polling) {
      this.repoll = true;
      return;
    }
    this.polling = this.poll()
      .catch(error =>
        this.deps.logger.error(`Could not claim a pipeline: ${error}`),
      )
      .finally(() => {
        this.polling = undefined;
        if (this.repoll) {
          this.repoll = false;
          this.wake();
        }
      });
  }

  /** Asks the replica running a pipeline to stop it (here: at once). */
  cancelLocal(pipelineId: string) {
    const active = this.active.get(pipelineId);
    if (!active) return false;
    active.stop = 'cancel';
    active.killJob?.('cancel');
    return true;
  }

  private async poll() {
    while (!this.stopping && this.active.size < this.deps.config.concurrency) {
      const busy = [...this.active.values()].map(a => a.pipeline.repositoryId);
      const pipeline = await this.deps.store.claimNext(
        this.deps.instanceId,
        busy,
      );
      if (!pipeline) return;
      const entry: ActivePipeline = { pipeline, done: Promise.resolve() };
      entry.done = this.execute(entry)
        .catch(error =>
          this.deps.logger.error(`Pipeline ${pipeline.id} crashed: ${error}`),
        )
        .finally(() => {
          this.active.delete(pipeline.id);
          this.wake();
        });
      this.active.set(pipeline.id, entry);
    }
  }

  private async heartbeat() {
    try {
      const held = await this.deps.store.heartbeat(
        [...this.active.keys()],
        this.deps.instanceId,
      );
      for (const [id, entry] of this.active) {
        const row = held.find(h => h.id === id);
        if (!row) {
          this.deps.logger.warn(
            `Pipeline ${id} was taken over by another replica; stopping it here`,
          );
          entry.stop = 'shutdown';
          entry.killJob?.('shutdown');
        } else if (row.cancelRequested && entry.stop !== 'cancel') {
          entry.stop = 'cancel';
          entry.killJob?.('cancel');
        }
      }
    } catch (error) {
      this.deps.logger.warn(`Pipeline heartbeat failed: ${error}`);
    }
  }

  private workDirOf(pipelineId: string) {
    return path.join(this.deps.config.workDir, pipelineId);
  }

  private async execute(entry: ActivePipeline) {
    const { pipeline } = entry;
    const { store } = this.deps;
    const repository = await this.deps.repositoryStore.byId(
      pipeline.repositoryId,
    );
    const dir = this.workDirOf(pipeline.id);
    const finish = async (status: PipelineStatus, error?: string) => {
      await killProcessesIn(dir);
      await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
      const ended = await store.finish(pipeline.id, status, error, {
        claimedBy: this.deps.instanceId,
      });
      if (ended) this.deps.onFinished?.(pipeline, status);
    };
    if (!repository) {
      await finish('failed', 'The repository no longer exists');
      return;
    }
    let options: JobProcessOptions;
    try {
      options = await this.prepare(dir, repository, pipeline);
    } catch (error) {
      await finish(
        'failed',
        `Could not check out ${pipeline.sha.slice(0, 8)} of ${pipeline.ref}: ${
          (error as Error).message
        }`,
      );
      return;
    }
    if ((await store.jobs(pipeline.id)).length === 0) {
      try {
        const jobs = await listJobs(options);
        if (jobs.length === 0) {
          await finish(
            'invalid',
            `No job of .gitlab-ci.yml runs for ${pipeline.ref} (their rules exclude every job)`,
          );
          return;
        }
        await store.addJobs(pipeline.id, jobs);
      } catch (error) {
        await finish(
          'invalid',
          `.gitlab-ci.yml is not a valid pipeline: ${(error as Error).message}`,
        );
        return;
      }
    }

    for (;;) {
      const jobs = await store.jobs(pipeline.id);
      if (entry.stop) {
        const status = entry.stop === 'cancel' ? 'canceled' : 'interrupted';
        for (const job of jobs) {
          if (job.status === 'created' || job.status === 'pending') {
            await store.updateJob(job.id, { status, finished_at: new Date() });
          }
        }
        break;
      }
      const { run, skip } = nextJob(jobs);
      for (const job of skip) {
        await store.updateJob(job.id, {
          status: 'skipped',
          finished_at: new Date(),
        });
      }
      if (run) {
        await this.runJob(entry, repository, run, options);
        continue;
      }
      if (skip.length === 0) break;
    }
    const jobs = await store.jobs(pipeline.id);
    const status = pipelineStatusOf(jobs, entry.stop);
    await finish(
      status,
      status === 'interrupted'
        ? 'Interrupted: the backend running this pipeline stopped. Re-run it.'
        : undefined,
    );
  }

  /** A fresh checkout of the pipeline's commit on its branch. */
  private async prepare(
    dir: string,
    repository: RepositoryRecord,
    pipeline: PipelineRecord,
  ): Promise<JobProcessOptions> {
    await fs.rm(dir, { recursive: true, force: true });
    const checkout = path.join(dir, 'checkout');
    const home = path.join(dir, 'home');
    const tmp = path.join(dir, 'tmp');
    await fs.mkdir(home, { recursive: true });
    await fs.mkdir(tmp, { recursive: true });
    const git = (args: string[], cwd = dir) =>
      execFileAsync('git', args, { cwd, env: this.gitEnv(home) });
    await git([
      'clone',
      '--quiet',
      '--no-checkout',
      '--no-hardlinks',
      this.deps.repositories.path(repository.folder),
      checkout,
    ]);
    await git(
      ['checkout', '--quiet', '-B', pipeline.ref, pipeline.sha],
      checkout,
    );
    await git(
      ['remote', 'set-url', 'origin', this.deps.cloneUrl(repository)],
      checkout,
    );
    const variablesFile = path.join(dir, 'variables.yml');
    await fs.writeFile(variablesFile, '{}\n', { mode: 0o600 });
    return {
      cwd: checkout,
      home,
      variablesFile,
      env: this.jobEnv(home, tmp),
    };
  }

  private gitEnv(home: string): Record<string, string> {
    return {
      PATH: this.deps.config.path,
      HOME: home,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
    };
  }

  /**
   * Nothing of the portal's environment but how to trust certificates and
   * reach the network (gitHost.pipelines.passEnvironment): its secrets stay
   * with it.
   */
  private jobEnv(home: string, tmp: string): Record<string, string> {
    const passed: Record<string, string> = {};
    for (const name of this.deps.config.passEnvironment) {
      const value = process.env[name];
      if (value !== undefined) passed[name] = value;
    }
    return {
      ...passed,
      PATH: this.deps.config.path,
      HOME: home,
      TMPDIR: tmp,
      LANG: 'C.UTF-8',
      CI: 'true',
      GIT_TERMINAL_PROMPT: '0',
      npm_config_cache: this.deps.config.npmCache,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
    };
  }

  private async runJob(
    entry: ActivePipeline,
    repository: RepositoryRecord,
    job: JobRecord,
    options: JobProcessOptions,
  ) {
    const { store, config } = this.deps;
    const { pipeline } = entry;
    const early: string[] = [];
    let vars: JobVariables = { variables: {}, masked: [] };
    let failure: string | undefined;
    try {
      vars = await this.deps.variables({
        pipeline,
        repository,
        job,
        log: line => early.push(line),
      });
    } catch (error) {
      failure = `Could not get the job's variables: ${
        (error as Error).message
      }`;
    }
    const masker = new LogMasker(vars.masked);
    const log = new JobLog(
      masker,
      config.maxLogBytes,
      (seq, text, bytes, truncated) =>
        store.appendLog(job, seq, text, bytes, truncated),
      await store.lastLogSeq(job.id),
    );
    await store.updateJob(job.id, {
      status: 'running',
      started_at: new Date(),
      finished_at: null,
      exit_code: null,
      error: null,
    });
    log.note(
      `Paved runner: job ${job.name} (stage ${job.stage}) of pipeline #${
        pipeline.number
      }, ${pipeline.ref} at ${pipeline.sha.slice(0, 8)}`,
    );
    for (const line of early) log.note(line);
    if (failure) {
      log.note(failure);
      await log.flush(true);
      await store.updateJob(job.id, {
        status: 'failed',
        error: failure,
        finished_at: new Date(),
      });
      await vars.release?.().catch(() => {});
      return;
    }
    await fs.writeFile(
      options.variablesFile,
      stringify({
        ...vars.variables,
        CI_PIPELINE_URL: this.deps.pipelineUrl(repository, pipeline),
        PAVED_PIPELINE_ID: String(pipeline.number),
      }),
      { mode: 0o600 },
    );
    let tail = '';
    const proc = startJob(job.name, options, text => {
      tail = (tail + text).slice(-2000);
      log.add(text);
    });
    await store.updateJob(job.id, { pid: proc.pid });
    let reason: StopReason | undefined;
    entry.killJob = why => {
      if (reason) return;
      reason = why;
      log.note(STOP_NOTES[why](config.jobTimeoutMs));
      proc.kill(config.killGraceMs);
    };
    if (entry.stop) entry.killJob(entry.stop);
    const flusher = setInterval(() => {
      log.flush().catch(() => {});
    }, LOG_FLUSH_MS);
    const timeout = setTimeout(
      () => entry.killJob?.('timeout'),
      config.jobTimeoutMs,
    );
    const { code, signal } = await proc.exited;
    clearInterval(flusher);
    clearTimeout(timeout);
    entry.killJob = undefined;
    // Whatever the job started goes with it, in its group or not.
    killGroup(proc.pid, 'SIGKILL');
    await killProcessesIn(path.dirname(options.cwd));
    await fs.writeFile(options.variablesFile, '{}\n').catch(() => {});
    await vars.release?.().catch(() => {});

    const scriptExit = /FAIL\s+(\d+)/.exec(tail)?.[1];
    let status: JobStatus;
    let error: string | undefined;
    if (reason === 'cancel') {
      status = 'canceled';
    } else if (reason === 'shutdown') {
      status = 'interrupted';
      error = 'The backend stopped while the job ran';
    } else if (reason === 'timeout') {
      status = 'failed';
      error = `Timed out after ${Math.round(config.jobTimeoutMs / 1000)} s`;
    } else if (code === 0) {
      status = 'success';
    } else {
      status = 'failed';
      error = signal
        ? `Killed by ${signal}`
        : `Exited with ${scriptExit ?? code}`;
    }
    log.note(`Paved runner: job ${status}${error ? `: ${error}` : ''}`);
    await log.flush(true);
    await store.updateJob(job.id, {
      status,
      exit_code: scriptExit !== undefined ? Number(scriptExit) : code,
      error: error ?? null,
      finished_at: new Date(),
      pid: null,
    });
  }

  /**
   * Pipelines left running by a replica that died (kill -9, a crash) are
   * marked interrupted, whatever their job started is killed, and their
   * folders removed. A replica of this host whose process is gone is known
   * dead at once; any other after it missed its heartbeats.
   */
  async recoverLost() {
    try {
      const before = new Date(Date.now() - STALE_MS).toISOString();
      const stale = await this.deps.store.findStale(before);
      const dead = (await this.deps.store.findRunning()).filter(
        p =>
          !stale.some(s => s.id === p.id) &&
          isDeadLocalReplica(p.claimedBy, this.deps.instanceId),
      );
      for (const pipeline of [...stale, ...dead]) {
        if (this.active.has(pipeline.id)) continue;
        const localDead = dead.includes(pipeline);
        // Stale or not, a pipeline of a dead backend on this machine may
        // have left its jobs running here.
        const leftHere =
          localDead ||
          isDeadLocalReplica(pipeline.claimedBy, this.deps.instanceId);
        const jobs = await this.deps.store.jobs(pipeline.id);
        for (const job of jobs) {
          if (job.status !== 'running') continue;
          if (leftHere && job.pid) await killLeftover(job.pid);
          await this.deps.store.updateJob(job.id, {
            status: 'interrupted',
            error: 'The backend running this job stopped',
            finished_at: new Date(),
            pid: null,
          });
          await this.deps.store.appendLog(
            job,
            (await this.deps.store.lastLogSeq(job.id)) + 1,
            'Paved runner: the backend running this job stopped without finishing it; the job was marked interrupted. Re-run the pipeline.\n',
            job.logBytes,
            job.logTruncated,
          );
        }
        for (const job of jobs) {
          if (job.status === 'created' || job.status === 'pending') {
            await this.deps.store.updateJob(job.id, {
              status: 'interrupted',
              finished_at: new Date(),
            });
          }
        }
        // Its folder goes before it shows as interrupted.
        if (leftHere) await killProcessesIn(this.workDirOf(pipeline.id));
        await fs
          .rm(this.workDirOf(pipeline.id), { recursive: true, force: true })
          .catch(() => {});
        const ended = await this.deps.store.finish(
          pipeline.id,
          'interrupted',
          'Interrupted: the backend running this pipeline stopped without finishing it. Re-run it.',
          localDead
            ? { claimedBy: pipeline.claimedBy }
            : { heartbeatBefore: before },
        );
        if (ended) {
          this.deps.logger.warn(
            `Pipeline ${pipeline.id} was lost by its replica; marked interrupted`,
          );
          this.deps.onFinished?.(pipeline, 'interrupted');
        }
      }
    } catch (error) {
      this.deps.logger.warn(`Could not recover lost pipelines: ${error}`);
    }
  }

  get activePipelineIds() {
    return [...this.active.keys()];
  }

  /** Stops claiming, stops running jobs, waits up to `graceMs` for the records. */
  async stop(graceMs: number) {
    this.stopping = true;
    const timers = this.timers ?? [];
    this.timers = undefined;
    clearInterval(timers[0]);
    clearInterval(timers[2]);
    await this.polling;
    const entries = [...this.active.values()];
    for (const entry of entries) {
      entry.stop = 'shutdown';
      entry.killJob?.('shutdown');
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(entries.map(e => e.done)),
      new Promise(resolve => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    clearInterval(timers[1]);
    // Nothing of a job outlives the backend.
    for (const entry of entries) {
      await killProcessesIn(this.workDirOf(entry.pipeline.id));
    }
  }
}

/** Kills a job's process group left by a dead backend, if it is still one. */
async function killLeftover(pid: number) {
  try {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('gitlab-ci-local')) return;
  } catch {
    // The leader is gone; its group (the job's shell) may not be.
  }
  killGroup(pid, 'SIGKILL');
}

const DONE: JobStatus[] = [
  'success',
  'failed',
  'canceled',
  'skipped',
  'interrupted',
];

/**
 * The next job to run, and the jobs that will never run because what they
 * need failed, manual ones included (nobody may start them then). A job
 * needs its `needs`, or else every job of the earlier stages; a manual job
 * nobody started holds up only the jobs that name it in `needs`.
 */
export function nextJob(jobs: JobRecord[]): {
  run?: JobRecord;
  skip: JobRecord[];
} {
  const skip: JobRecord[] = [];
  for (const job of jobs) {
    const manual = job.status === 'manual';
    if (!manual && job.status !== 'created' && job.status !== 'pending') {
      continue;
    }
    const deps = job.needs
      ? jobs.filter(j => job.needs!.includes(j.name))
      : jobs.filter(j => j.stageIndex < job.stageIndex);
    const failed = deps.some(
      d =>
        (d.status === 'failed' && !d.allowFailure) ||
        d.status === 'canceled' ||
        d.status === 'skipped' ||
        d.status === 'interrupted',
    );
    const waiting = deps.some(
      d => !DONE.includes(d.status) && !(d.status === 'manual' && !job.needs),
    );
    if (failed && job.when !== 'always') {
      skip.push(job);
      continue;
    }
    if (!manual && !waiting) return { run: job, skip };
  }
  return { skip };
}

export function pipelineStatusOf(
  jobs: JobRecord[],
  stop?: StopReason,
): PipelineStatus {
  if (jobs.some(j => j.status === 'failed' && !j.allowFailure)) return 'failed';
  if (stop === 'shutdown' || jobs.some(j => j.status === 'interrupted')) {
    return 'interrupted';
  }
  if (stop === 'cancel' || jobs.some(j => j.status === 'canceled')) {
    return 'canceled';
  }
  return 'success';
}
