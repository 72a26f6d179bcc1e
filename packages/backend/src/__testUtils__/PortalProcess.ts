import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import knexFactory from 'knex';

const backendDir = path.resolve(__dirname, '../..');
const repoRoot = path.resolve(backendDir, '../..');

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `probe` returns something, or gives up with `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 300_000,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

/**
 * The real portal backend as its own process (the same `node src/index.ts`
 * that scripts/start.sh runs), on a fresh PostgreSQL database and its own
 * folders, so a test can kill it -9 or SIGTERM it in the middle of work and
 * start it again on the same data.
 */
export class PortalProcess {
  readonly url: string;
  private child?: ChildProcess;
  private readonly logFile: string;

  constructor(
    readonly options: {
      /** postgresql://user@host:port, where the test may create databases. */
      pgUrl: string;
      database: string;
      port: number;
      /** Holds the config, the log, git repositories and work folders. */
      dir: string;
      /** Extra app-config (YAML text) after the test's own. */
      extraConfig?: string;
    },
  ) {
    this.url = `http://localhost:${options.port}`;
    this.logFile = path.join(options.dir, 'backend.log');
  }

  get pid() {
    return this.child?.pid;
  }

  /** What the backend logged, across all its starts. */
  log() {
    return fs.existsSync(this.logFile)
      ? fs.readFileSync(this.logFile, 'utf8')
      : '';
  }

  private writeConfig() {
    const { dir, port } = this.options;
    const pg = new URL(this.options.pgUrl);
    const file = path.join(dir, 'app-config.test.yaml');
    fs.writeFileSync(
      file,
      `app: { baseUrl: "${this.url}" }
backend:
  baseUrl: ${this.url}
  listen: { port: ${port} }
  cors: { origin: "${this.url}" }
  workingDirectory: ${dir}/work
gitHost:
  root: ${dir}/git
  pipelines: { workDir: ${dir}/pipelines, npmCache: ${dir}/npm-cache }
integrations:
  gitea:
    - host: localhost:${port}
      baseUrl: ${this.url}/api/git-host
      username: gitea-integration
      password: local-portal-git-integration
paved:
  environments:
    dataDir: ${dir}/environments
    targets:
      postgres:
        host: ${pg.hostname}
        port: ${pg.port || 5432}
        adminUser: ${decodeURIComponent(pg.username) || 'postgres'}
${this.options.extraConfig ?? ''}
`,
    );
    fs.mkdirSync(path.join(dir, 'work'), { recursive: true });
    return file;
  }

  /** Starts the backend and waits until it is ready. */
  async start() {
    const pg = new URL(this.options.pgUrl);
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        path.join(repoRoot, 'app-config.postgres.yaml'),
        '--config',
        this.writeConfig(),
      ],
      {
        cwd: backendDir,
        stdio: ['ignore', out, out],
        env: {
          ...process.env,
          NODE_ENV: 'development',
          POSTGRES_HOST: pg.hostname,
          POSTGRES_PORT: pg.port || '5432',
          POSTGRES_USER: decodeURIComponent(pg.username) || 'postgres',
          POSTGRES_PASSWORD: decodeURIComponent(pg.password),
          POSTGRES_DB: this.options.database,
        },
      },
    );
    fs.closeSync(out);
    const child = this.child;
    await eventually(
      `the backend on ${this.url} to be ready (log: ${this.logFile})`,
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`the backend exited with ${child.exitCode}`);
        }
        const res = await fetch(`${this.url}/.backstage/health/v1/readiness`);
        return res.ok;
      },
    ).catch(error => {
      throw new Error(`${error.message}\n${this.log().slice(-3000)}`);
    });
  }

  /** Sends a signal and waits for the process to be gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL') {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>(resolve =>
      child.once('exit', () => resolve()),
    );
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  /** A guest session (the guest is in the platform team). */
  async guestToken() {
    const res = await fetch(`${this.url}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    if (!res.ok) throw new Error(`guest sign-in: ${res.status}`);
    return (await res.json()).backstageIdentity.token as string;
  }

  /** Calls the portal's API as the guest; answers status and body. */
  async api(method: string, url: string, body?: object) {
    const res = await fetch(`${this.url}${url}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${await this.guestToken()}`,
      },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }

  /** The portal's own database, for looking at what it recorded. */
  database() {
    const url = new URL(this.options.pgUrl);
    url.pathname = `/${this.options.database}`;
    return knexFactory({ client: 'pg', connection: url.toString() });
  }

  /** Removes the database; the folder is the caller's. */
  async dropDatabase() {
    const admin = knexFactory({
      client: 'pg',
      connection: `${this.options.pgUrl}/postgres`,
    });
    try {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
        this.options.database,
      ]);
    } finally {
      await admin.destroy();
    }
  }
}
