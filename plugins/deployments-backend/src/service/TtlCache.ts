/**
 * Remembers answers for a short time, so a burst of reports from one
 * pipeline asks the git host once. Bounded: the oldest entries go first.
 */
export class TtlCache<T> {
  private readonly entries = new Map<
    string,
    { value: Promise<T>; at: number }
  >();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  forget(key: string) {
    this.entries.delete(key);
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { value, at: now });
    // A failure is not remembered.
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}
