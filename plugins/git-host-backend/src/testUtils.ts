import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A plain TCP-level HTTP forwarder on a port known before the backend
 * starts. Backstage's test backend listens on a random port, but the Gitea
 * integration needs the git host's base URL in its config at start: the
 * test configures `http://localhost:<forwarder port>` and points the
 * forwarder at the backend once it listens. Requests and responses are
 * streamed, so git's protocol passes through unchanged.
 */
export async function startForwarder() {
  let target: number | undefined;
  const server = http.createServer((req, res) => {
    if (!target) {
      res.statusCode = 503;
      res.end('backend not started yet');
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: target,
        method: req.method,
        path: req.url,
        headers: req.headers,
        // A fresh connection each time: a pooled one the backend closed
        // while idle would fail the request.
        agent: false,
      },
      response => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', error => {
      res.statusCode = 502;
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  return {
    url,
    host: `localhost:${port}`,
    /** The backend's real port, once it listens. */
    forwardTo(backendPort: number) {
      target = backendPort;
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/**
 * `integrations.gitea` for a git host at `url`, as app-config.yaml has it.
 * `password` is the integration's token: in a real backend a static
 * external access token, in Backstage's test backend a mock service token.
 */
export function giteaIntegrationConfig(url: string, password: string) {
  return {
    gitea: [
      {
        host: new URL(url).host,
        baseUrl: `${url}/api/git-host`,
        username: 'gitea-integration',
        password,
      },
    ],
  };
}
