import { CredentialCheck } from '@internal/plugin-environments-common';
import { createClient } from '@redis/client';
import amqp from 'amqplib';
import { createConnection as mysqlConnection } from 'mysql2/promise';
import { Client as PgClient } from 'pg';

/** How long one check may take to connect before it counts as failed. */
const CONNECT_TIMEOUT_MS = 10_000;

const PROBES: Record<string, (url: string) => Promise<string>> = {
  async postgresql(url) {
    const client = new PgClient({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT current_user AS "user", current_database() AS db',
      );
      return `connected to database ${rows[0].db} as ${rows[0].user}`;
    } finally {
      await client.end();
    }
  },
  async redis(url) {
    const client = createClient({
      url,
      socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
    });
    // Connection errors are reported by connect(); keep them off the emitter.
    client.on('error', () => {});
    await client.connect();
    try {
      // connect() authenticated as the URL's user (AUTH user password).
      await client.ping();
      return `authenticated as ${decodeURIComponent(
        new URL(url).username,
      )} and answered PING`;
    } finally {
      await client.disconnect();
    }
  },
  async amqp(url) {
    const connection = await amqp.connect(url, {
      timeout: CONNECT_TIMEOUT_MS,
    });
    await connection.close();
    return `opened a connection to virtual host ${decodeURIComponent(
      new URL(url).pathname.slice(1),
    )}`;
  },
  async mysql(url) {
    const connection = await mysqlConnection({
      uri: url,
      connectTimeout: CONNECT_TIMEOUT_MS,
    });
    try {
      const [rows] = await connection.query(
        'SELECT CURRENT_USER() AS user, DATABASE() AS db',
      );
      const [row] = rows as Array<{ user: string; db: string }>;
      return `connected to database ${row.db} as ${row.user}`;
    } finally {
      await connection.end();
    }
  },
};
PROBES.postgres = PROBES.postgresql;
PROBES.mariadb = PROBES.mysql;

/**
 * Connects with a credential URL the way the service will, and does the
 * least that proves the credential works: a query as the role or user on
 * PostgreSQL and MySQL/MariaDB, Redis `PING` as the ACL user, a RabbitMQ
 * connection to the virtual host.
 * The URL scheme picks the protocol; the password never reaches a message.
 */
export async function checkCredentialUrl(
  name: string,
  url: string,
): Promise<CredentialCheck> {
  let scheme: string;
  try {
    scheme = new URL(url).protocol.replace(/:$/, '');
  } catch {
    return { name, ok: false, message: `${name} is not a URL` };
  }
  const probe = PROBES[scheme];
  if (!probe) {
    return { name, ok: true, message: `${name}: no check for ${scheme}` };
  }
  try {
    return { name, ok: true, message: `${name}: ${await probe(url)}` };
  } catch (error) {
    const password = decodeURIComponent(new URL(url).password);
    let message = (error as Error).message || String(error);
    if (password) message = message.split(password).join('***');
    return { name, ok: false, message: `${name}: ${message}` };
  }
}

/** Checks every `*_url` credential of an environment. */
export async function checkCredentials(
  credentials: Record<string, string>,
): Promise<CredentialCheck[]> {
  return Promise.all(
    Object.entries(credentials)
      .filter(([name]) => name.endsWith('_url'))
      .map(([name, url]) => checkCredentialUrl(name, url)),
  );
}
