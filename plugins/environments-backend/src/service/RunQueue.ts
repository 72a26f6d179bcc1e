import { LoggerService } from '@backstage/backend-plugin-api';
import { EnvironmentStore } from '../database/EnvironmentStore';
import { RunRow } from '../database/tables';
import { TerraformCli } from '../terraform/TerraformCli';
import { RunExecutor } from './RunExecutor';
import { statusAfterUnfinished } from './runKinds';

type ActiveRun = { run: RunRow; cli?: TerraformCli; done: Promise<void> };

/**
 * Whether a run's replica (`host:pid:uuid`) was a process on this host that
 * is gone: another pid that no longer exists, or our own pid from before a
 * restart (in a container, the new process often gets the same pid).
 */
export function isDeadLocalReplica(
  claimedBy: string | null,
  ourInstanceId: string,
) {
  if (!claimedBy || claimedBy === ourInstanceId) return false;
  const [host, pid] = claimedBy.split(':');
  const [ourHost, ourPid] = ourInstanceId.split(':');
  if (host !== ourHost || !/^\d+$/.test(pid ?? '')) return false;
  if (pid === ourPid) return true;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const HEARTBEAT_MS = 5_000;
/** A run whose replica missed this many heartbeats is considered lost. */
const STALE_MS = 30_000;

/**
 * Claims queued runs from the database and executes them: one at a time per
 * environment, up to `maxParallel` environments at once on this replica.
 * Several replicas can share one database; a run is claimed by exactly one.
 */
export class RunQueue {
  private readonly active = new Map<string, ActiveRun>();
  private timers?: {
    poll: NodeJS.Timeout;
    heartbeat: NodeJS.Timeout;
    recovery: NodeJS.Timeout;
  };
  private polling?: Promise<void>;
  private repoll = false;
  private stopping = false;

  constructor(
    private readonly deps: {
      store: EnvironmentStore;
      executor: RunExecutor;
      logger: LoggerService;
      maxParallel: number;
      instanceId: string;
      pollIntervalMs?: number;
      onRunFinished?: (run: RunRow) => void;
    },
  ) {}

  /**
   * Starts claiming runs, once the runs a dead replica of this host left
   * behind are known lost (so a restart reports them, and removes their
   * folders, before it serves).
   */
  async start() {
    this.timers = {
      poll: setInterval(() => this.wake(), this.deps.pollIntervalMs ?? 2_000),
      heartbeat: setInterval(() => this.heartbeat(), HEARTBEAT_MS),
      recovery: setInterval(() => this.recoverLostRuns(), STALE_MS / 2),
    };
    await this.recoverLostRuns();
    this.wake();
  }

  /** Looks for queued work now (after a new run was queued, or one finished). */
  wake() {
    if (this.stopping) return;
    if (this.polling) {
      this.repoll = true;
      return;
    }
    this.polling = this.poll()
      .catch(error => this.deps.logger.error(`Could not claim a run: ${error}`))
      .finally(() => {
        this.polling = undefined;
        if (this.repoll) {
          this.repoll = false;
          this.wake();
        }
      });
  }

  private async poll() {
    while (!this.stopping && this.active.size < this.deps.maxParallel) {
      const busy = [...this.active.values()].map(a => a.run.environment_id);
      const claimed = await this.deps.store.claimNextRun(
        this.deps.instanceId,
        new Date().toISOString(),
        busy,
      );
      if (!claimed) return;
      const entry: ActiveRun = { run: claimed.run, done: Promise.resolve() };
      entry.done = this.deps.executor
        .execute(claimed.run, claimed.environment, cli => {
          entry.cli = cli;
          // Shutdown began while the run was being prepared.
          if (this.stopping) cli.interrupt();
        })
        .catch(error =>
          this.deps.logger.error(`Run ${claimed.run.id} crashed: ${error}`),
        )
        .finally(() => {
          this.active.delete(claimed.run.id);
          this.deps.onRunFinished?.(claimed.run);
          this.wake();
        });
      this.active.set(claimed.run.id, entry);
    }
  }

  private async heartbeat() {
    try {
      const alive = new Set(
        await this.deps.store.heartbeat(
          [...this.active.keys()],
          new Date().toISOString(),
        ),
      );
      // Another replica took a run over (it missed heartbeats): stop ours.
      for (const [id, run] of this.active) {
        if (!alive.has(id)) {
          this.deps.logger.warn(
            `Run ${id} was marked lost by another replica; interrupting it here`,
          );
          run.cli?.interrupt();
        }
      }
    } catch (error) {
      this.deps.logger.warn(`Run heartbeat failed: ${error}`);
    }
  }

  /**
   * Runs left "running" by a replica that died (crash, SIGKILL) are marked
   * interrupted, so their environments can be re-planned (or, for a destroy,
   * the destroy resumed), and their folders, whose saved plans hold
   * secrets, are removed. A replica on this host whose process is gone is
   * known dead at once; any other after it missed its heartbeats. Terraform's
   * own lock and the state it last saved stay authoritative.
   */
  async recoverLostRuns() {
    try {
      const before = new Date(Date.now() - STALE_MS).toISOString();
      const stale = await this.deps.store.findStaleRuns(before);
      const dead = (await this.deps.store.findRunningRuns()).filter(
        run =>
          !stale.some(s => s.id === run.id) &&
          isDeadLocalReplica(run.claimed_by, this.deps.instanceId),
      );
      for (const run of [...stale, ...dead]) {
        if (this.active.has(run.id)) continue;
        const message =
          run.kind === 'destroy'
            ? 'Interrupted: the backend running this destroy stopped without finishing it. Part of the environment may already be gone while the state still lists it: resume the destroy.'
            : 'Interrupted: the backend running this stopped without finishing it. The state Terraform last saved is kept; re-plan to continue.';
        const status = statusAfterUnfinished(run.kind, 'interrupted');
        const ended = await this.deps.store.finishRun(
          run,
          {
            status: 'interrupted',
            error: message,
            environment: status ? { status } : {},
          },
          new Date().toISOString(),
          stale.includes(run)
            ? { heartbeatBefore: before }
            : { claimedBy: run.claimed_by ?? undefined },
        );
        if (!ended) continue;
        const seq = (await this.deps.store.lastEventSeq(run.id)) + 1;
        await this.deps.store.appendEvents([
          {
            run_id: run.id,
            seq,
            at: new Date().toISOString(),
            level: 'warn',
            message,
          },
        ]);
        // Its folder, if it was ours: the saved plan holds secrets.
        await this.deps.executor.removeWorkDir(run.id);
        this.deps.logger.warn(
          `Run ${run.id} was lost by its replica; marked interrupted`,
        );
        this.deps.onRunFinished?.(run);
      }
    } catch (error) {
      this.deps.logger.warn(`Could not recover lost runs: ${error}`);
    }
  }

  /** Running runs of this replica. */
  get activeRunIds() {
    return [...this.active.keys()];
  }

  /**
   * Stops claiming, sends SIGINT to every running Terraform so it saves
   * state, and waits up to `graceMs` for them to finish recording.
   */
  async stop(graceMs: number) {
    this.stopping = true;
    // Heartbeats go on while runs finish, so no replica takes them over.
    const timers = this.timers;
    this.timers = undefined;
    clearInterval(timers?.poll);
    clearInterval(timers?.recovery);
    const heartbeat = timers?.heartbeat;
    await this.polling;
    const runs = [...this.active.values()];
    if (runs.length === 0) {
      clearInterval(heartbeat);
      return;
    }
    this.deps.logger.info(
      `Interrupting ${runs.length} Terraform run(s) so they save their state`,
    );
    for (const run of runs) run.cli?.interrupt();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.all(runs.map(r => r.done)).then(() => true),
      new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    clearInterval(heartbeat);
    if (!finished) {
      this.deps.logger.error(
        `Terraform did not stop within ${graceMs} ms of SIGINT; its runs will be marked lost and their environments offered a re-plan. Give the process more time to stop than paved.environments.shutdownGracePeriod.`,
      );
    }
  }
}
