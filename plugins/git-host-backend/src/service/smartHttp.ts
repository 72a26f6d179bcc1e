import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream';
import { Request, Response } from 'express';

/** The paths of git's smart-HTTP protocol below `<owner>/<name>.git`. */
export const GIT_PROTOCOL_PATH =
  /^\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/(info\/[a-z-]+|[0-9a-f]{2}\/[0-9a-f]{38,62}|pack\/pack-[0-9a-f]{40,64}\.(pack|idx)))$/;

/**
 * Answers one git smart-HTTP request (info/refs, upload-pack, receive-pack)
 * by running git's own CGI, `git http-backend`, for it. Request and response
 * bodies are streamed with backpressure, so large pushes and clones never sit
 * in memory, and git is stopped when the client goes away.
 *
 * Resolves with git's exit code once the response has ended.
 */
export function runGitHttpBackend(options: {
  req: Request;
  res: Response;
  projectRoot: string;
  /** Path below the project root, e.g. `/payments/shop.git/info/refs`. */
  pathInfo: string;
  remoteUser: string;
  /** Folder of git hooks run for pushes (the ref rules). */
  hooksPath: string;
  /** Whether the repository's tags may not be moved or deleted. */
  protectTags: boolean;
  /** The branch that only moves forward. */
  defaultBranch: string;
  /** Changes reach the default branch only through change requests. */
  requireChecks: boolean;
}) {
  const { req, res, projectRoot, pathInfo, remoteUser } = options;
  const query = req.originalUrl.includes('?')
    ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
    : '';
  const header = (name: string) => String(req.headers[name] ?? '');

  return new Promise<number>((resolve, reject) => {
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_PROTOCOL: header('git-protocol'),
        PATH_INFO: pathInfo,
        QUERY_STRING: query,
        REQUEST_METHOD: req.method,
        CONTENT_TYPE: header('content-type'),
        HTTP_CONTENT_ENCODING: header('content-encoding'),
        REMOTE_USER: remoteUser,
        REMOTE_ADDR: req.socket.remoteAddress ?? '',
        // receive-pack runs the portal's own hooks, whatever the repository
        // folder holds: every pushed ref is checked by hooks/update.
        // Whatever a repository's own config says (earlier releases set
        // denyNonFastForwards), the hook decides: other branches may be
        // force-pushed or deleted, the default branch only moves forward.
        GIT_CONFIG_COUNT: '3',
        GIT_CONFIG_KEY_0: 'core.hooksPath',
        GIT_CONFIG_VALUE_0: options.hooksPath,
        GIT_CONFIG_KEY_1: 'receive.denyNonFastForwards',
        GIT_CONFIG_VALUE_1: 'false',
        GIT_CONFIG_KEY_2: 'receive.denyDeletes',
        GIT_CONFIG_VALUE_2: 'false',
        PAVED_PROTECT_TAGS: options.protectTags ? '1' : '0',
        PAVED_DEFAULT_BRANCH: options.defaultBranch,
        PAVED_REQUIRE_CHECKS: options.requireChecks ? '1' : '0',
      },
    });
    // A client that disconnects mid-push must not leave git waiting.
    res.on('close', () => {
      if (child.exitCode === null) {
        child.kill();
      }
    });
    // git may stop reading early (e.g. a 415): that is not a server fault.
    pipeline(req, child.stdin, () => {});

    const stderr: Buffer[] = [];
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.on('error', reject);

    let head = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      child.stdout.off('data', onHead);
      child.stdout.pause();
      let status = 200;
      for (const line of head
        .subarray(0, end)
        .toString('latin1')
        .split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') {
          status = parseInt(value, 10);
        } else if (name) {
          res.setHeader(name, value);
        }
      }
      res.status(status);
      res.write(head.subarray(end + 4));
      pipeline(child.stdout, res, () => {});
    };
    child.stdout.on('data', onHead);

    child.on('close', code => {
      if (!res.headersSent) {
        const message = Buffer.concat(stderr).toString().trim();
        reject(new Error(`git http-backend exited with ${code}: ${message}`));
        return;
      }
      resolve(code ?? 1);
    });
  });
}
