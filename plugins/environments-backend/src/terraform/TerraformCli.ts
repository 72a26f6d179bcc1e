import { spawn, ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TerraformJsonMessage } from './progress';

/** How one Terraform command ended. */
export type TerraformResult = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Parsed JSON messages (commands run with -json). */
  messages: TerraformJsonMessage[];
  /** Non-JSON output lines, kept for error reports (the last 200). */
  text: string[];
  /** Every non-JSON line of stdout (e.g. `output -json`). */
  stdout: string[];
};

/** Options for {@link TerraformCli}. */
export type TerraformCliOptions = {
  binary: string;
  cwd: string;
  env: Record<string, string>;
  /** Called for every JSON message as it arrives. */
  onMessage?: (message: TerraformJsonMessage) => void;
};

/**
 * Runs the Terraform CLI without a shell: arguments are an array, inputs come
 * from files and environment variables. One command at a time; `interrupt`
 * sends SIGINT so Terraform stops at a safe point and saves its state.
 */
export class TerraformCli {
  private child?: ChildProcess;
  private interrupted = false;

  constructor(private readonly options: TerraformCliOptions) {}

  get wasInterrupted() {
    return this.interrupted;
  }

  run(args: string[]): Promise<TerraformResult> {
    if (this.interrupted) {
      return Promise.resolve({
        exitCode: null,
        signal: 'SIGINT',
        messages: [],
        text: ['interrupted before start'],
        stdout: [],
      });
    }
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.binary, args, {
        cwd: this.options.cwd,
        env: this.options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a Ctrl-C in the portal's terminal must not
        // reach Terraform directly; the portal decides when to interrupt it.
        detached: true,
      });
      this.child = child;
      const messages: TerraformJsonMessage[] = [];
      const text: string[] = [];
      const stdout: string[] = [];
      const keep = (line: string) => {
        text.push(line);
        if (text.length > 200) text.shift();
      };
      createInterface({ input: child.stdout! }).on('line', line => {
        if (line.startsWith('{')) {
          try {
            const message = JSON.parse(line) as TerraformJsonMessage;
            messages.push(message);
            this.options.onMessage?.(message);
            return;
          } catch {
            // not JSON after all: keep it as text
          }
        }
        stdout.push(line);
        if (line.trim()) keep(line);
      });
      createInterface({ input: child.stderr! }).on('line', line => {
        if (line.trim()) keep(line);
      });
      child.on('error', reject);
      child.on('close', (exitCode, signal) => {
        this.child = undefined;
        resolve({ exitCode, signal, messages, text, stdout });
      });
    });
  }

  /** SIGINT to the running command; it saves state and exits. Never SIGKILL. */
  interrupt() {
    this.interrupted = true;
    if (this.child?.pid && this.child.exitCode === null) {
      this.child.kill('SIGINT');
    }
  }

  /** Resolves when no command is running. */
  async idle() {
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise(resolve => child.once('close', resolve));
    }
  }
}
