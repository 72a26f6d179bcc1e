import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs the git CLI with arguments as an array (never through a shell).
 * Secrets go in `secretConfig`: git reads them from GIT_CONFIG_* variables,
 * so they never appear in a process listing, and they are cut out of any
 * error message, which ends up in the task log.
 */
export async function git(
  cwd: string,
  args: string[],
  options: {
    env?: Record<string, string>;
    secretConfig?: Record<string, string>;
  } = {},
) {
  const secrets = Object.entries(options.secretConfig ?? {});
  const configEnv: Record<string, string> = {
    GIT_CONFIG_COUNT: String(secrets.length),
  };
  secrets.forEach(([key, value], i) => {
    configEnv[`GIT_CONFIG_KEY_${i}`] = key;
    configEnv[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  try {
    const { stdout } = await execFileAsync('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        ...options.env,
        ...configEnv,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    let message = (error as Error).message;
    for (const [, value] of secrets) {
      message = message.split(value).join('***');
    }
    throw new Error(message);
  }
}
