/**
 * Masks secret values in a job's output before anything is stored, and caps
 * what is kept. A secret split across two chunks of output is still masked:
 * the tail that could begin a secret is held back until the next chunk.
 */
export class LogMasker {
  private readonly secrets: string[];
  private readonly holdBack: number;
  private pending = '';

  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret containing another is masked whole. Very
    // short values (a "1" or "true") would mask half the log: they are not
    // secrets worth the name, and are left alone.
    this.secrets = [...new Set(secrets)]
      .filter(s => s.length >= 4)
      .sort((a, b) => b.length - a.length);
    this.holdBack = Math.max(0, ...this.secrets.map(s => s.length - 1));
  }

  /** Masked text that is safe to store now. */
  push(chunk: string): string {
    this.pending += chunk;
    const masked = this.mask(this.pending);
    if (this.holdBack === 0) {
      this.pending = '';
      return masked;
    }
    // Keep back a tail that could be the start of a secret.
    let keep = 0;
    for (const secret of this.secrets) {
      for (let n = Math.min(secret.length - 1, masked.length); n > keep; n--) {
        if (masked.endsWith(secret.slice(0, n))) {
          keep = n;
          break;
        }
      }
    }
    this.pending = masked.slice(masked.length - keep);
    return masked.slice(0, masked.length - keep);
  }

  /** The rest, at the end of the output. */
  flush(): string {
    const rest = this.mask(this.pending);
    this.pending = '';
    return rest;
  }

  mask(text: string) {
    let out = text;
    for (const secret of this.secrets) {
      out = out.split(secret).join('[MASKED]');
    }
    return out;
  }
}

// gitlab-ci-local's colours and cursor movements, which a stored log does
// not need.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** A job's log on its way to the database: masked, capped, in chunks. */
export class JobLog {
  private bytes = 0;
  private truncated = false;
  private buffer = '';
  private seq = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly masker: LogMasker,
    private readonly maxBytes: number,
    private readonly write: (
      seq: number,
      text: string,
      bytes: number,
      truncated: boolean,
    ) => Promise<void>,
    startSeq = 0,
  ) {
    this.seq = startSeq;
  }

  /** Adds output; it reaches the database at the next flush. */
  add(text: string) {
    this.append(this.masker.push(text.replace(ANSI, '')));
  }

  /** A line from the runner itself (not the job's output). */
  note(line: string) {
    this.append(this.masker.mask(`${line}\n`));
  }

  private append(text: string) {
    if (this.truncated || !text) return;
    const room = this.maxBytes - this.bytes;
    const size = Buffer.byteLength(text);
    if (size <= room) {
      this.buffer += text;
      this.bytes += size;
      return;
    }
    this.buffer += `${Buffer.from(text)
      .subarray(0, room)
      .toString()}\n[log truncated: it reached the limit of ${
      this.maxBytes
    } bytes (gitHost.pipelines.maxLogBytes); the job went on]\n`;
    this.bytes = this.maxBytes;
    this.truncated = true;
  }

  /** Writes what has been added since the last flush. */
  flush(final = false): Promise<void> {
    if (final) this.append(this.masker.flush());
    this.flushing = this.flushing.then(async () => {
      if (!this.buffer && !final) return;
      const text = this.buffer;
      this.buffer = '';
      this.seq += 1;
      await this.write(this.seq, text, this.bytes, this.truncated);
    });
    return this.flushing;
  }
}
