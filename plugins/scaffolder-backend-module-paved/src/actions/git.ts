import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs the git CLI with arguments as an array (never through a shell). */
export async function git(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
) {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
