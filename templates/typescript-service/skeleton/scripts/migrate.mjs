// The service's schema migration, run by the pipeline's deploy jobs when the
// environment has a database: `DATABASE_URL=postgresql://... npm run migrate`.
// It can run any number of times: it creates what is missing and seeds the
// table only while it is empty. Add the service's own tables here.
import pg from 'pg';

const SERVICE_NAME = '${{ values.name }}';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: give the database to migrate, as postgresql://user:password@host:port/database');
  process.exit(1);
}

const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
try {
  await client.connect();
  await client.query('BEGIN');
  // Two deploys of the same environment migrate one after the other.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['service_greetings']);
  await client.query(`
    CREATE TABLE IF NOT EXISTS service_greetings (
      id serial PRIMARY KEY,
      message text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  const seeded = await client.query(
    `INSERT INTO service_greetings (message)
     SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM service_greetings)`,
    [`Hello from ${SERVICE_NAME}`],
  );
  await client.query('COMMIT');
  console.log(
    `Migration done: service_greetings is ready (${seeded.rowCount ? 'seeded its first row' : 'it already had rows'})`,
  );
} catch (err) {
  await client.query('ROLLBACK').catch(() => {});
  console.error(`Migration failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
