import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';

const execFileAsync = promisify(execFile);

/** A commit as the git host shows it. */
export interface CommitSummary {
  sha: string;
  author: string;
  authorEmail: string;
  date: string;
  message: string;
  parents: string[];
}

/** An entry of a folder at a ref. */
export interface TreeEntry {
  type: 'file' | 'dir' | 'symlink' | 'submodule';
  name: string;
  path: string;
  sha: string;
  size: number;
}

/** What `git diff --numstat` says of one file. */
export interface FileChange {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  additions: number;
  deletions: number;
  binary: boolean;
}

/** The environment every git call runs with: no prompts, no user config. */
const GIT_ENV = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

/**
 * A branch or tag name as the git host accepts it from a URL or a request:
 * plain characters, no leading dash (git would read an option), no `..`,
 * nothing git's own ref rules refuse. Commit ids (hex) pass too.
 */
export function assertRef(ref: unknown): asserts ref is string {
  const ok =
    typeof ref === 'string' &&
    ref.length > 0 &&
    ref.length <= 255 &&
    /^[A-Za-z0-9._/-]+$/.test(ref) &&
    !ref
      .split('/')
      .some(
        part =>
          part === '' ||
          part.startsWith('-') ||
          part.startsWith('.') ||
          part.endsWith('.lock'),
      ) &&
    !ref.includes('..') &&
    !ref.endsWith('.') &&
    ref !== 'HEAD' &&
    !ref.startsWith('refs/');
  if (!ok) {
    throw new InputError(
      `Invalid ref ${JSON.stringify(
        ref,
      )}: use a branch or tag name of letters, digits, '.', '_', '-' and '/', or a commit id`,
    );
  }
}

/**
 * A path inside a repository as the git host accepts it: relative, no `..`
 * or `.` segments, no empty segments, no control characters. '' is the root.
 */
export function assertTreePath(value: unknown): asserts value is string {
  const ok =
    typeof value === 'string' &&
    value.length <= 4096 &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f\\]/.test(value) &&
    (value === '' ||
      value
        .split('/')
        .every(part => part !== '' && part !== '.' && part !== '..'));
  if (!ok) {
    throw new InputError(
      `Invalid path ${JSON.stringify(value)}: use a path inside the repository`,
    );
  }
}

/**
 * Bare repositories on disk below the root, one folder each (`<owner>/<name>.git`,
 * or `<name>.git` for repositories of earlier releases). Every git call gets
 * its arguments as an array and `--end-of-options` before anything a user
 * named: nothing goes through a shell, nothing is read as an option.
 */
export class BareRepositories {
  constructor(readonly root: string, readonly defaultBranch = 'main') {}

  path(folder: string) {
    const resolved = path.resolve(this.root, folder);
    if (!resolved.startsWith(`${path.resolve(this.root)}${path.sep}`)) {
      throw new InputError(`Invalid repository folder ${folder}`);
    }
    return resolved;
  }

  async init(folder: string) {
    const dir = this.path(folder);
    if (await this.exists(folder)) {
      // Never adopt a leftover folder's history under a new repository.
      throw new ConflictError(
        `A folder for '${folder}' already exists under ${this.root}; remove it or choose another name`,
      );
    }
    await fs.mkdir(path.dirname(dir), { recursive: true });
    await this.run(this.root, [
      'init',
      '--bare',
      '--quiet',
      `--initial-branch=${this.defaultBranch}`,
      dir,
    ]);
    // Pushes over HTTP need this; history is never rewritten by a push.
    await this.run(dir, ['config', 'http.receivepack', 'true']);
    await this.run(dir, ['config', 'receive.denyNonFastForwards', 'true']);
    await this.run(dir, ['config', 'receive.denyDeletes', 'false']);
  }

  async remove(folder: string) {
    await fs.rm(this.path(folder), { recursive: true, force: true });
  }

  async exists(folder: string) {
    return fs
      .stat(this.path(folder))
      .then(stat => stat.isDirectory())
      .catch(() => false);
  }

  /** Throws a NotFoundError naming the folder when it is gone from disk. */
  async assertOnDisk(folder: string, fullName: string) {
    if (!(await this.exists(folder))) {
      throw new NotFoundError(
        `Repository '${fullName}' is registered, but its folder ${folder} is missing under the git root; restore it from a backup or delete the repository`,
      );
    }
  }

  /** Whether the repository has no branch or tag yet. */
  async isEmpty(folder: string) {
    const { stdout } = await this.run(this.path(folder), [
      'for-each-ref',
      '--count=1',
      '--format=%(refname)',
    ]);
    return stdout.trim() === '';
  }

  /** The commit a branch, tag or commit id names, or undefined. */
  async resolveCommit(folder: string, ref: string) {
    assertRef(ref);
    return this.revParse(folder, `${ref}^{commit}`);
  }

  /** The commit a branch points at, or undefined (never a tag or an id). */
  async branchHead(folder: string, branch: string) {
    assertRef(branch);
    return this.revParse(folder, `refs/heads/${branch}^{commit}`);
  }

  private async revParse(folder: string, spec: string) {
    try {
      const { stdout } = await this.run(this.path(folder), [
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        spec,
      ]);
      return stdout.trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Backstage resolves an absolute path such as catalog:register's usual
   * `catalogInfoPath: /catalog-info.yaml` against a Gitea URL
   * `.../src/branch/main/` to `.../src/branch/catalog-info.yaml`: its URL
   * parser (git-url-parse) reads `branch` as the ref. Such a "ref" that
   * names no ref but a file at the root of the default branch means that
   * file: its commit and path, or undefined.
   */
  async rootFileAsRef(folder: string, ref: unknown) {
    if (typeof ref !== 'string' || !ref) return undefined;
    assertRef(ref);
    if (await this.resolveCommit(folder, ref)) return undefined;
    const head = await this.branchHead(folder, this.defaultBranch);
    if (!head) return undefined;
    const object = await this.objectAt(folder, head, ref);
    return object?.type === 'blob'
      ? { commit: head, treePath: ref }
      : undefined;
  }

  /** The newest commit on the default branch; undefined before the first. */
  async lastCommit(folder: string): Promise<CommitSummary | undefined> {
    const [commit] = await this.readLog(folder, [
      '--max-count=1',
      `refs/heads/${this.defaultBranch}`,
    ]).catch(() => []);
    return commit;
  }

  /** Commits reachable from `ref` and not from `exclude`, newest first. */
  async log(
    folder: string,
    ref: string,
    limit: number,
    skip = 0,
    exclude?: string,
  ): Promise<CommitSummary[]> {
    const commit = await this.resolveCommit(folder, ref);
    if (!commit) {
      throw new NotFoundError(`No branch, tag or commit '${ref}'`);
    }
    const args = [`--max-count=${limit}`, `--skip=${skip}`, commit];
    if (exclude) args.push(`^${exclude}`);
    return this.readLog(folder, args);
  }

  private async readLog(
    folder: string,
    args: string[],
  ): Promise<CommitSummary[]> {
    const { stdout } = await this.run(this.path(folder), [
      'log',
      '--format=%H%x00%an%x00%ae%x00%aI%x00%P%x00%B%x1e',
      ...args,
      '--',
    ]);
    return stdout
      .split('\x1e')
      .map(record => record.replace(/^\n/, ''))
      .filter(Boolean)
      .map(record => {
        const [sha, author, authorEmail, date, parents, message] =
          record.split('\0');
        return {
          sha,
          author,
          authorEmail,
          date,
          message: message.trim(),
          parents: parents ? parents.split(' ') : [],
        };
      });
  }

  async branches(folder: string) {
    const { stdout } = await this.run(this.path(folder), [
      'for-each-ref',
      '--sort=-committerdate',
      '--format=%(refname:strip=2)%00%(objectname)%00%(contents:subject)%00%(committerdate:iso-strict)%00%(authorname)%00%(authoremail:trim)',
      'refs/heads/',
    ]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [name, sha, subject, date, author, email] = line.split('\0');
        return { name, sha, subject, date, author, email };
      });
  }

  /** The object at `path` in `commit`, with its type, or undefined. */
  async objectAt(folder: string, commit: string, treePath: string) {
    assertTreePath(treePath);
    const spec = `${commit}:${treePath}`;
    try {
      const { stdout } = await this.run(
        this.path(folder),
        [
          'cat-file',
          '--batch-check=%(objectname) %(objecttype) %(objectsize)',
          '--buffer',
        ],
        `${spec}\n`,
      );
      const [sha, type, size] = stdout.trim().split(' ');
      if (type === 'missing' || !sha || !size) return undefined;
      return { sha, type, size: Number(size) };
    } catch {
      return undefined;
    }
  }

  async readBlob(folder: string, sha: string, maxBytes = 64 * 1024 * 1024) {
    const { stdout } = await execFileAsync('git', ['cat-file', 'blob', sha], {
      cwd: this.path(folder),
      env: GIT_ENV,
      encoding: 'buffer',
      maxBuffer: maxBytes,
    });
    return stdout as Buffer;
  }

  /** A folder's entries at a commit: folders first, then files, by name. */
  async listTree(
    folder: string,
    commit: string,
    treePath: string,
  ): Promise<TreeEntry[]> {
    assertTreePath(treePath);
    const { stdout } = await this.run(
      this.path(folder),
      [
        'ls-tree',
        '-z',
        '--long',
        '--end-of-options',
        treePath ? `${commit}:${treePath}` : commit,
      ],
      undefined,
      'buffer',
    );
    const entries = (stdout as unknown as Buffer)
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const tab = line.indexOf('\t');
        const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
        const name = line.slice(tab + 1);
        let kind: TreeEntry['type'] = 'file';
        if (type === 'tree') kind = 'dir';
        else if (type === 'commit') kind = 'submodule';
        else if (mode === '120000') kind = 'symlink';
        return {
          type: kind,
          name,
          path: treePath ? `${treePath}/${name}` : name,
          sha,
          size: size === '-' ? 0 : Number(size),
        };
      });
    return entries.sort((a, b) =>
      a.type === b.type
        ? a.name.localeCompare(b.name)
        : Number(b.type === 'dir') - Number(a.type === 'dir'),
    );
  }

  /**
   * `git archive` of a commit as a stream that ends only once git exited
   * cleanly, and otherwise fails with git's own message: a failing git must
   * never look like an empty (and so "unrecognized") archive.
   */
  archive(folder: string, commit: string, prefix: string) {
    const out = new PassThrough();
    const child = spawn(
      'git',
      ['archive', '--format=tar.gz', `--prefix=${prefix}/`, commit],
      {
        cwd: this.path(folder),
        env: GIT_ENV,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const stderr: Buffer[] = [];
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.stdout.pipe(out, { end: false });
    child.on('error', error => out.destroy(error));
    child.on('close', code => {
      if (code === 0) {
        out.end();
      } else {
        const message = Buffer.concat(stderr).toString().trim();
        out.destroy(new Error(`git archive exited with ${code}: ${message}`));
      }
    });
    // A reader that gives up early must not leave git running.
    out.on('close', () => {
      if (child.exitCode === null) child.kill();
    });
    return out;
  }

  /** The merge base of two commits, or undefined when unrelated. */
  async mergeBase(folder: string, a: string, b: string) {
    try {
      const { stdout } = await this.run(this.path(folder), [
        'merge-base',
        a,
        b,
      ]);
      return stdout.trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** What changed from `from` to `to`, per file (renames detected). */
  async changedFiles(
    folder: string,
    from: string,
    to: string,
  ): Promise<FileChange[]> {
    const { stdout } = await this.run(this.path(folder), [
      'diff',
      '--numstat',
      '-z',
      '-M',
      from,
      to,
      '--',
    ]);
    // numstat -z: "add\tdel\tpath\0" or, for a rename, "add\tdel\t\0old\0new\0".
    const fields = stdout.split('\0');
    const changes: FileChange[] = [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      if (!field) continue;
      const [add, del, file] = field.split('\t');
      const binary = add === '-' && del === '-';
      const base = {
        additions: binary ? 0 : Number(add),
        deletions: binary ? 0 : Number(del),
        binary,
      };
      if (file === '') {
        const previousFilename = fields[++i];
        const filename = fields[++i];
        changes.push({
          filename,
          previousFilename,
          status: 'renamed',
          ...base,
        });
      } else {
        changes.push({ filename: file, status: 'modified', ...base });
      }
    }
    // Added and deleted files, which numstat does not tell apart.
    const { stdout: status } = await this.run(this.path(folder), [
      'diff',
      '--name-status',
      '-z',
      '--no-renames',
      '--diff-filter=AD',
      from,
      to,
      '--',
    ]);
    const statusFields = status.split('\0');
    const kinds = new Map<string, 'added' | 'deleted'>();
    for (let i = 0; i + 1 < statusFields.length; i += 2) {
      kinds.set(
        statusFields[i + 1],
        statusFields[i] === 'A' ? 'added' : 'deleted',
      );
    }
    for (const change of changes) {
      const kind = change.status === 'modified' && kinds.get(change.filename);
      if (kind) change.status = kind;
    }
    return changes;
  }

  /**
   * The unified diff of every changed file between two commits, one entry
   * per file in `changedFiles`' order, or undefined above `maxBytes`.
   */
  async allFileDiffs(
    folder: string,
    from: string,
    to: string,
    maxBytes: number,
  ) {
    const text = await this.diffText(folder, from, to, [], maxBytes);
    return text
      ?.split(/^(?=diff --git )/m)
      .filter(part => part.startsWith('diff --git '));
  }

  /** The unified diff of one file between two commits, at most `maxBytes`. */
  async fileDiff(
    folder: string,
    from: string,
    to: string,
    change: FileChange,
    maxBytes: number,
  ) {
    const paths = change.previousFilename
      ? [change.previousFilename, change.filename]
      : [change.filename];
    return this.diffText(folder, from, to, paths, maxBytes);
  }

  /** `git diff` of commits (and paths), or undefined above `maxBytes`. */
  private async diffText(
    folder: string,
    from: string,
    to: string,
    paths: string[],
    maxBytes: number,
  ) {
    try {
      const { stdout } = await execFileAsync(
        'git',
        ['diff', '--no-color', '-M', from, to, '--', ...paths],
        { cwd: this.path(folder), env: GIT_ENV, maxBuffer: maxBytes },
      );
      return stdout as string;
    } catch (error) {
      if (String((error as { code?: unknown })?.code).includes('MAXBUFFER')) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Merges `head` into `base` without a working tree (`git merge-tree`):
   * the merged tree, or the conflicting files.
   */
  async mergeTree(
    folder: string,
    base: string,
    head: string,
  ): Promise<{ tree: string } | { conflicts: string[] }> {
    try {
      const { stdout } = await this.run(this.path(folder), [
        'merge-tree',
        '--write-tree',
        '--name-only',
        '--no-messages',
        base,
        head,
      ]);
      return { tree: stdout.split('\n')[0].trim() };
    } catch (error: any) {
      if (error?.code === 1 && typeof error.stdout === 'string') {
        const [, ...files] = error.stdout.split('\n').filter(Boolean);
        return { conflicts: [...new Set<string>(files)] };
      }
      throw error;
    }
  }

  /** Writes a merge commit of `tree` with the given parents. */
  async commitTree(
    folder: string,
    tree: string,
    parents: string[],
    message: string,
    author: { name: string; email: string },
  ) {
    const args = ['commit-tree', tree, '-m', message];
    for (const parent of parents) args.push('-p', parent);
    const { stdout } = await execFileAsync('git', args, {
      cwd: this.path(folder),
      env: {
        ...GIT_ENV,
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
      },
    });
    return stdout.trim();
  }

  /**
   * Moves a branch from `expected` to `next` atomically: fails (false) when
   * the branch moved meanwhile, so two merges never overwrite each other.
   */
  async compareAndSwap(
    folder: string,
    branch: string,
    next: string,
    expected: string,
    reason: string,
  ) {
    assertRef(branch);
    try {
      await this.run(this.path(folder), [
        'update-ref',
        '-m',
        reason,
        `refs/heads/${branch}`,
        next,
        expected,
      ]);
      return true;
    } catch {
      return false;
    }
  }

  private run(
    cwd: string,
    args: string[],
    input?: string,
    encoding: 'utf8' | 'buffer' = 'utf8',
  ): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        {
          cwd,
          env: GIT_ENV,
          maxBuffer: 256 * 1024 * 1024,
          encoding: encoding === 'buffer' ? 'buffer' : 'utf8',
        },
        (error, stdout, stderr) => {
          if (error) {
            Object.assign(error, { stdout, stderr });
            reject(error);
          } else {
            resolve({ stdout: stdout as any, stderr: String(stderr) });
          }
        },
      );
      // git may exit before reading (a folder removed meanwhile).
      child.stdin?.on('error', () => {});
      if (input !== undefined) {
        child.stdin?.end(input);
      }
    });
  }
}
