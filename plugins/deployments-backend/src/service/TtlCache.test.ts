import { TtlCache } from './TtlCache';

describe('TtlCache', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A load that resolves when told to, counting its calls. */
  function loader() {
    const pending: Array<(value: string) => void> = [];
    const load = jest.fn(
      () => new Promise<string>(resolve => pending.push(resolve)),
    );
    return { load, resolve: (value: string) => pending.shift()!(value) };
  }

  it('loads once within the time to live, and again after it', async () => {
    const cache = new TtlCache<string>(30_000);
    const { load, resolve } = loader();
    const first = cache.get('k', load);
    resolve('one');
    await expect(first).resolves.toBe('one');
    jest.advanceTimersByTime(29_000);
    await expect(cache.get('k', load)).resolves.toBe('one');
    expect(load).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(2_000);
    const second = cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
    resolve('two');
    await expect(second).resolves.toBe('two');
  });

  it('gives the old answer while a fresh one loads, when allowed to', async () => {
    const cache = new TtlCache<string>(30_000, 10, 60_000);
    const { load, resolve } = loader();
    const first = cache.get('k', load);
    resolve('one');
    await first;
    jest.advanceTimersByTime(31_000);
    // Stale: answered at once, one reload behind it however often asked.
    await expect(cache.get('k', load)).resolves.toBe('one');
    await expect(cache.get('k', load)).resolves.toBe('one');
    expect(load).toHaveBeenCalledTimes(2);
    resolve('two');
    await Promise.resolve();
    await expect(cache.get('k', load)).resolves.toBe('two');
    expect(load).toHaveBeenCalledTimes(2);

    // Too old to give: the request waits for the load.
    jest.advanceTimersByTime(91_000);
    const late = cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(3);
    resolve('three');
    await expect(late).resolves.toBe('three');
  });

  it('does not remember a failure, and keeps the old answer when a reload fails', async () => {
    const cache = new TtlCache<string>(30_000, 10, 60_000);
    const failing = jest.fn(() => Promise.reject(new Error('catalog down')));
    await expect(cache.get('k', failing)).rejects.toThrow('catalog down');
    await expect(cache.get('k', async () => 'one')).resolves.toBe('one');

    jest.advanceTimersByTime(31_000);
    await expect(cache.get('k', failing)).resolves.toBe('one');
    await Promise.resolve();
    // The failed reload is tried again on the next request.
    await expect(cache.get('k', async () => 'two')).resolves.toBe('one');
    await Promise.resolve();
    await expect(cache.get('k', async () => 'three')).resolves.toBe('two');
  });
});
