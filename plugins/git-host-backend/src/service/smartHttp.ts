import { spawn } from 'node:child_process';
import { Request, Response } from 'express';

/**
 * Answers one git smart-HTTP request (info/refs, upload-pack, receive-pack)
 * by running git's own CGI, `git http-backend`, for it. The request body is
 * streamed to the CGI and its output back, so large pushes never sit in
 * memory.
 */
export function runGitHttpBackend(options: {
  req: Request;
  res: Response;
  projectRoot: string;
  /** Path below the project root, e.g. `/shop.git/info/refs`. */
  pathInfo: string;
  remoteUser: string;
}) {
  const { req, res, projectRoot, pathInfo, remoteUser } = options;
  const query = req.originalUrl.includes('?')
    ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
    : '';
  const header = (name: string) => String(req.headers[name] ?? '');

  return new Promise<void>((resolve, reject) => {
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
      },
    });

    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      headersSent = true;
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
    });

    const stderr: Buffer[] = [];
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      if (!headersSent) {
        const message = Buffer.concat(stderr).toString().trim();
        reject(new Error(`git http-backend exited with ${code}: ${message}`));
        return;
      }
      res.end();
      resolve();
    });
    req.pipe(child.stdin);
  });
}
