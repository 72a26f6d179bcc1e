// @ts-check

/**
 * Incidents of services, from CI, PagerDuty or the portal, each recorded
 * once per source and id, and optionally tied to the deployment or commit
 * that caused it; and each deployment's commits in git's order (commits of
 * the same second have no other).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_incidents', table => {
    table.comment('Incidents of services, for change failures and recovery');
    table.string('id').primary();
    table
      .string('dedup_key', 400)
      .notNullable()
      .unique()
      .comment('Source and its id: a re-sent event is recorded once');
    table
      .string('service')
      .notNullable()
      .comment('Entity ref of the component');
    table.string('environment').notNullable();
    table.text('title').notNullable();
    table
      .string('severity')
      .notNullable()
      .comment('critical, high, medium, low');
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table
      .string('deployment_id')
      .nullable()
      .comment('The deployment it is tied to');
    table
      .string('commit_sha', 64)
      .nullable()
      .comment('The commit it is tied to');
    table.string('source').notNullable().comment('api, pagerduty or portal');
    table.text('url').nullable();
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['service', 'opened_at']);
  });
  await knex.schema.alterTable('deployment_commits', table => {
    table
      .integer('position')
      .nullable()
      .comment("The commit's place in git's order, newest first");
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployment_commits', table => {
    table.dropColumn('position');
  });
  await knex.schema.dropTable('deployment_incidents');
};
