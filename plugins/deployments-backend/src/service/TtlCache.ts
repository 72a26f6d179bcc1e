interface Entry<T> {
  value: Promise<T>;
  at: number;
  settled?: boolean;
  refreshing?: boolean;
}

/**
 * Remembers answers for a short time, so a burst of reports from one
 * pipeline asks the git host once. Bounded: the oldest entries go first.
 * With `staleMs`, an answer older than the time to live is still given for
 * that long while a fresh one loads in the background, so no request waits
 * for the reload.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    private readonly staleMs = 0,
  ) {}

  forget(key: string) {
    this.entries.delete(key);
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    const age = hit ? Date.now() - hit.at : Infinity;
    if (hit && age < this.ttlMs) return hit.value;
    if (hit?.settled && age < this.ttlMs + this.staleMs) {
      if (!hit.refreshing) {
        hit.refreshing = true;
        load().then(
          value => {
            if (this.entries.get(key) !== hit) return;
            this.entries.set(key, {
              value: Promise.resolve(value),
              at: Date.now(),
              settled: true,
            });
          },
          () => {
            hit.refreshing = false;
          },
        );
      }
      return hit.value;
    }
    return this.load(key, load);
  }

  private load(key: string, load: () => Promise<T>) {
    const entry: Entry<T> = { value: load(), at: Date.now() };
    this.entries.set(key, entry);
    entry.value.then(
      () => {
        entry.settled = true;
      },
      // A failure is not remembered.
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return entry.value;
  }
}
