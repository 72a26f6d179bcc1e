import { execFile, spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadTreeResponseFactory,
  ReadUrlResponseFactory,
  ReaderFactory,
} from '@backstage/backend-defaults/urlReader';
import { InputError, NotFoundError, NotModifiedError } from '@backstage/errors';
import { BareRepositories } from '../service/BareRepositories';
import { gitHostBaseUrl, gitHostRoot } from '../config';

const execFileAsync = promisify(execFile);

/** A file or folder in a hosted repository, parsed from its URL. */
export interface HostedLocation {
  repository: string;
  ref: string;
  path: string;
}

/**
 * URLs of hosted files and folders look like GitLab's:
 * `<base>/git/<name>.git/-/blob/<ref>/<path>` and `.../-/tree/<ref>/<path>`.
 */
export function hostedFileUrl(
  baseUrl: string,
  location: HostedLocation,
  kind: 'blob' | 'tree' = 'blob',
) {
  const suffix = location.path ? `/${location.path}` : '';
  return `${baseUrl}/git/${location.repository}.git/-/${kind}/${location.ref}${suffix}`;
}

export function parseHostedUrl(baseUrl: string, url: string): HostedLocation {
  const rest = url.startsWith(`${baseUrl}/git/`)
    ? url.slice(baseUrl.length + 5)
    : undefined;
  const match = rest?.match(
    /^([a-z0-9-]+)\.git\/-\/(?:blob|tree)\/([^/]+)(?:\/(.*))?$/,
  );
  if (!match) {
    throw new InputError(`Not a file URL of Paved's git host: ${url}`);
  }
  const filePath = path.posix.normalize(decodeURIComponent(match[3] ?? ''));
  if (filePath.startsWith('..')) {
    throw new InputError(`Path escapes the repository: ${url}`);
  }
  return {
    repository: match[1],
    ref: decodeURIComponent(match[2]),
    path: filePath === '.' ? '' : filePath,
  };
}

/**
 * Reads files and folders of repositories on Paved's embedded git host, for
 * catalog locations, fetch:template, fetch:plain and catalog:register. It
 * reads the bare repositories directly, as the host runs in this backend.
 */
export class GitHostUrlReader implements UrlReaderService {
  static factory: ReaderFactory = ({ config, treeResponseFactory }) => {
    const baseUrl = gitHostBaseUrl(config);
    const reader = new GitHostUrlReader(
      baseUrl,
      new BareRepositories(gitHostRoot(config)),
      treeResponseFactory,
    );
    return [
      { reader, predicate: url => url.href.startsWith(`${baseUrl}/git/`) },
    ];
  };

  constructor(
    private readonly baseUrl: string,
    private readonly repositories: BareRepositories,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const location = parseHostedUrl(this.baseUrl, url);
    const spec = `${location.ref}:${location.path}`;
    const etag = await this.revParse(location.repository, spec, url);
    await this.expectType(location.repository, etag, 'blob', url);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    const { stdout } = await execFileAsync('git', ['cat-file', 'blob', etag], {
      cwd: this.repositories.path(location.repository),
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    return ReadUrlResponseFactory.fromReadable(Readable.from([stdout]), {
      etag,
    });
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const location = parseHostedUrl(this.baseUrl, url);
    const commit = await this.revParse(
      location.repository,
      `${location.ref}^{commit}`,
      url,
    );
    if (options?.etag === commit) {
      throw new NotModifiedError();
    }
    if (location.path) {
      const tree = await this.revParse(
        location.repository,
        `${commit}:${location.path}`,
        url,
      );
      await this.expectType(location.repository, tree, 'tree', url);
    }
    const args = ['archive', '--format=tar', commit];
    if (location.path) {
      args.push('--', location.path);
    }
    return this.treeResponseFactory.fromTarArchive({
      stream: this.archive(location.repository, args, url),
      subpath: location.path || undefined,
      etag: commit,
      filter: options?.filter,
      stripFirstDirectory: false,
    });
  }

  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    // Exact paths only; globs are not needed for hosted repositories yet.
    const response = await this.readUrl(url);
    return {
      etag: response.etag ?? '',
      files: [{ url, content: () => response.buffer() }],
    };
  }

  /**
   * `git archive` as a stream that ends only once git exited cleanly, and
   * otherwise fails with git's own message: a failing git must never look
   * like an empty (and so "unrecognized") tar archive.
   */
  private archive(repository: string, args: string[], url: string) {
    const out = new PassThrough();
    const child = spawn('git', args, {
      cwd: this.repositories.path(repository),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.stdout.pipe(out, { end: false });
    child.on('error', error =>
      out.destroy(new Error(`Could not read ${url}: ${error.message}`)),
    );
    child.on('close', code => {
      if (code === 0) {
        out.end();
      } else {
        const message = Buffer.concat(stderr).toString().trim();
        out.destroy(
          new Error(
            `Could not read ${url}: git archive exited with ${code}${
              message ? `: ${message}` : ''
            }`,
          ),
        );
      }
    });
    // A reader that gives up early must not leave git running.
    out.on('close', () => {
      if (child.exitCode === null) child.kill();
    });
    return out;
  }

  toString() {
    return `paved-git-host{base=${this.baseUrl}}`;
  }

  private async expectType(
    repository: string,
    object: string,
    type: 'blob' | 'tree',
    url: string,
  ) {
    const { stdout } = await execFileAsync('git', ['cat-file', '-t', object], {
      cwd: this.repositories.path(repository),
    });
    if (stdout.trim() !== type) {
      throw new NotFoundError(
        `${url} is not a ${type === 'blob' ? 'file' : 'folder'}`,
      );
    }
  }

  private async revParse(repository: string, spec: string, url: string) {
    if (!(await this.repositories.exists(repository))) {
      throw new NotFoundError(`No repository named '${repository}' for ${url}`);
    }
    try {
      const { stdout } = await execFileAsync(
        'git',
        ['rev-parse', '--verify', '--quiet', spec],
        {
          cwd: this.repositories.path(repository),
        },
      );
      return stdout.trim();
    } catch {
      throw new NotFoundError(`Nothing at ${url}`);
    }
  }
}
