import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConflictError } from '@backstage/errors';
import { assertRepositoryName } from '@internal/plugin-git-host-common';

const execFileAsync = promisify(execFile);

/** The last commit on a repository's default branch. */
export interface CommitSummary {
  sha: string;
  author: string;
  date: string;
  message: string;
}

/**
 * Bare repositories on disk, one folder `<name>.git` each under the root.
 * Every git call gets its arguments as an array: nothing goes through a shell.
 */
export class BareRepositories {
  constructor(readonly root: string, readonly defaultBranch = 'main') {}

  path(name: string) {
    assertRepositoryName(name);
    return path.join(this.root, `${name}.git`);
  }

  async init(name: string) {
    const dir = this.path(name);
    if (await this.exists(name)) {
      // Never adopt a leftover folder's history under a new repository.
      throw new ConflictError(
        `A folder for '${name}' already exists under ${this.root}; remove it or choose another name`,
      );
    }
    await fs.mkdir(this.root, { recursive: true });
    await this.git(this.root, [
      'init',
      '--bare',
      '--quiet',
      `--initial-branch=${this.defaultBranch}`,
      dir,
    ]);
    // Pushes over HTTP need this; history is never rewritten by a push.
    await this.git(dir, ['config', 'http.receivepack', 'true']);
    await this.git(dir, ['config', 'receive.denyNonFastForwards', 'true']);
    await this.git(dir, ['config', 'receive.denyDeletes', 'true']);
  }

  async remove(name: string) {
    await fs.rm(this.path(name), { recursive: true, force: true });
  }

  async exists(name: string) {
    return fs
      .stat(this.path(name))
      .then(stat => stat.isDirectory())
      .catch(() => false);
  }

  /** Whether the repository has no branch or tag yet. */
  async isEmpty(name: string) {
    const { stdout } = await this.git(this.path(name), [
      'for-each-ref',
      '--count=1',
      '--format=%(refname)',
    ]);
    return stdout.trim() === '';
  }

  async lastCommit(name: string): Promise<CommitSummary | undefined> {
    try {
      const { stdout } = await this.git(this.path(name), [
        'log',
        '-1',
        '--format=%H%x00%an%x00%aI%x00%s',
        this.defaultBranch,
        '--',
      ]);
      const [sha, author, date, message] = stdout.trim().split('\0');
      return sha ? { sha, author, date, message } : undefined;
    } catch {
      return undefined; // No commit yet.
    }
  }

  private git(cwd: string, args: string[]) {
    return execFileAsync('git', args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
  }
}
