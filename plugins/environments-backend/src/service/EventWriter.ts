import { RunEvent } from '@internal/plugin-environments-common';
import { EnvironmentStore } from '../database/EnvironmentStore';

/** Buffers a run's progress lines and writes them in small batches. */
export class EventWriter {
  private seq = 0;
  private pending: RunEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: EnvironmentStore,
    private readonly runId: string,
    private readonly elapsedMs: () => number,
    private readonly onError: (error: unknown) => void,
    /** The last line already written (a run that goes on after approval). */
    startSeq = 0,
  ) {
    this.seq = startSeq;
    this.timer = setInterval(() => this.flush(), 300);
  }

  push(level: RunEvent['level'], message: string) {
    const elapsed = (this.elapsedMs() / 1000).toFixed(1).padStart(5);
    this.pending.push({
      seq: ++this.seq,
      at: new Date().toISOString(),
      level,
      message: `[${elapsed}s] ${message}`,
    });
  }

  private flush() {
    const batch = this.pending;
    this.pending = [];
    // A lost batch of log lines must never fail the run or stop later ones.
    this.flushing = this.flushing
      .then(() =>
        this.store.appendEvents(batch.map(e => ({ run_id: this.runId, ...e }))),
      )
      .catch(this.onError);
    return this.flushing;
  }

  async close() {
    clearInterval(this.timer);
    await this.flush();
  }
}
