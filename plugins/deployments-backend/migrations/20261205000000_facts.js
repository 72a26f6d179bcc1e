// @ts-check

/**
 * What the history says about each deployment (change failure and why,
 * rework, recovery, lead times), kept so that the delivery figures read a
 * window's facts instead of working out its history on every request; and
 * the service and environment pairs whose facts are out of date, marked in
 * the same transaction as the deployment or incident that changed them.
 * Existing pairs start out of date and are worked out on first read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_facts', table => {
    table.comment('Per deployment: what its history says, for the figures');
    table
      .string('deployment_id')
      .primary()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('service').notNullable();
    table.string('environment').notNullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table
      .text('failure')
      .nullable()
      .comment('JSON: reasons strongest first, recovery; null if none');
    table.text('rework').nullable().comment('JSON: kind and detail');
    table
      .text('lead_times')
      .notNullable()
      .comment('JSON: seconds from each commit it brought first');
    table.float('recovery_seconds').nullable();
    table.index(['environment', 'finished_at']);
    table.index(['service', 'environment', 'finished_at']);
  });
  await knex.schema.createTable('deployment_facts_stale', table => {
    table.comment('Service and environment pairs whose facts need working out');
    table.string('service').notNullable();
    table.string('environment').notNullable();
    table.primary(['service', 'environment']);
    table
      .timestamp('since', { useTz: true })
      .notNullable()
      .comment('The earliest time a change since the last work-out touched');
    table
      .string('token')
      .notNullable()
      .comment('Changes with each mark: a work-out clears only its own');
  });
  const pairs = await knex('deployments')
    .select('service', 'environment')
    .min({ since: 'finished_at' })
    .groupBy('service', 'environment');
  for (let i = 0; i < pairs.length; i += 200) {
    await knex('deployment_facts_stale').insert(
      pairs.slice(i, i + 200).map(p => ({ ...p, token: 'migration' })),
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_facts_stale');
  await knex.schema.dropTable('deployment_facts');
};
