// Smoke check of a deployed environment's database, run by the pipeline's
// deploy jobs after the migration: `DATABASE_URL=postgresql://... npm run smoke`.
// It fails unless the database answers and the service's table is there.
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: give the database to check, as postgresql://user:password@host:port/database');
  process.exit(1);
}

const client = new pg.Client({
  connectionString: url,
  connectionTimeoutMillis: 10_000,
  statement_timeout: 10_000,
});
try {
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS count FROM service_greetings');
  console.log(`Smoke check passed: service_greetings has ${rows[0].count} row(s)`);
} catch (err) {
  console.error(`Smoke check failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
