// @ts-check

/**
 * Deployments as CI reported them, one row per idempotency key, the
 * commits each one brought (worked out by the portal from the git host),
 * and each service's first successful deployment per environment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployments', table => {
    table.comment('Deployments reported by pipelines');
    table.string('id').primary();
    table
      .string('idempotency_key', 400)
      .notNullable()
      .unique()
      .comment('Pipeline and job: a re-sent report is recorded once');
    table
      .string('service')
      .notNullable()
      .comment('Entity ref of the component');
    table.string('environment').notNullable();
    table.string('commit_sha', 64).notNullable();
    table.string('version').nullable();
    table
      .string('outcome')
      .notNullable()
      .comment('success, failure, rolled_back');
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table.text('pipeline_url').nullable();
    table.string('repository').nullable().comment('owner/name on the git host');
    table.string('reported_by').notNullable().comment('The deploy token');
    table.string('source').notNullable().comment('paved-runner or external');
    table
      .string('previous_id')
      .nullable()
      .comment('The successful deployment of the environment before it');
    table.integer('commit_count').notNullable().defaultTo(0);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['service', 'environment', 'finished_at']);
  });
  await knex.schema.createTable('deployment_commits', table => {
    table.comment('The commits a deployment brought to its environment');
    table
      .string('deployment_id')
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('sha', 64).notNullable();
    table.primary(['deployment_id', 'sha']);
    table.string('author').nullable();
    table.string('author_email').nullable();
    table.timestamp('committed_at', { useTz: true }).nullable();
    table.text('message').nullable().comment('First line');
  });
  await knex.schema.createTable('deployment_first_deploys', table => {
    table.comment('Time to first deploy: a service and environment, once');
    table.string('service').notNullable();
    table.string('environment').notNullable();
    table.primary(['service', 'environment']);
    table.string('deployment_id').notNullable();
    table.string('template').nullable().comment('The golden path it came from');
    table.string('template_version').nullable();
    table.timestamp('service_created_at', { useTz: true }).nullable();
    table.timestamp('deployed_at', { useTz: true }).notNullable();
    table.bigInteger('seconds_from_creation').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_first_deploys');
  await knex.schema.dropTable('deployment_commits');
  await knex.schema.dropTable('deployments');
};
