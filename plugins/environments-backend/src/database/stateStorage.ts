import { Knex } from 'knex';
import { StateStorage } from '../service/RunExecutor';

const SCHEMA = /^paved_env_[0-9a-f]{32}$/;

/**
 * Terraform's pg backend keeps each environment's state in its own schema of
 * the portal's database (or of `state.connectionString`).
 */
export function postgresStateStorage(
  db: Knex,
  connectionString?: string,
): StateStorage {
  const dropSchema = async (schema: string) => {
    if (!SCHEMA.test(schema)) {
      throw new Error(`Refusing to drop unexpected state schema ${schema}`);
    }
    await db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);
  };
  if (connectionString) {
    // Another database: its schemas are left for its operators to drop.
    return { type: 'pg', connectionString };
  }
  const readState = async (schema: string) => {
    if (!SCHEMA.test(schema)) {
      throw new Error(`Unexpected state schema ${schema}`);
    }
    const row = await db
      .withSchema(schema)
      .table('states')
      .where({ name: 'default' })
      .first('data');
    return row?.data as string | undefined;
  };
  return {
    type: 'pg',
    connectionString: fromKnex(db),
    dropSchema,
    readState,
  };
}

function fromKnex(db: Knex): string {
  const connection = db.client.config.connection as
    | string
    | {
        host?: string;
        port?: number | string;
        user?: string;
        password?: string;
        database?: string;
        ssl?: unknown;
        connectionString?: string;
      };
  if (typeof connection === 'string') {
    return withSslMode(connection);
  }
  if (connection.connectionString) {
    return withSslMode(connection.connectionString);
  }
  const url = new URL('postgres://localhost');
  url.hostname = connection.host ?? 'localhost';
  url.port = String(connection.port ?? 5432);
  url.username = encodeURIComponent(connection.user ?? 'postgres');
  url.password = encodeURIComponent(connection.password ?? '');
  url.pathname = `/${encodeURIComponent(connection.database ?? 'postgres')}`;
  // lib/pq (Terraform's driver) defaults to sslmode=require.
  url.searchParams.set('sslmode', connection.ssl ? 'require' : 'disable');
  return url.toString();
}

/** lib/pq (Terraform's driver) defaults to sslmode=require; say what we mean. */
function withSslMode(connectionString: string) {
  const url = new URL(connectionString);
  if (!url.searchParams.has('sslmode')) {
    url.searchParams.set('sslmode', 'disable');
  }
  return url.toString();
}
