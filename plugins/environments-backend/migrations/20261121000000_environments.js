// @ts-check

/**
 * Environments, their Terraform runs and each run's progress lines.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environments', table => {
    table.comment('One environment of one service, made from approved modules');
    table.string('id').primary().notNullable();
    table.string('name').notNullable();
    table.string('service').notNullable().comment('Component entity ref');
    table.string('owner').notNullable().comment('Group entity ref');
    table.string('size').notNullable();
    table.text('resources').notNullable().comment('JSON array');
    table.string('status').notNullable();
    table.string('drift').notNullable().defaultTo('unknown');
    table.string('drift_checked_at').nullable();
    table.string('created_by').notNullable();
    table.string('created_at').notNullable().comment('ISO 8601, UTC');
    table.string('expires_at').notNullable().comment('ISO 8601, UTC');
    table.string('destroyed_at').nullable();
    table.string('destroyed_by').nullable();
    table.string('state_key').notNullable();
    table.string('active_run_id').nullable();
    table.string('last_run_id').nullable();
    table.text('outputs').notNullable().defaultTo('{}');
    table.text('sensitive_outputs').nullable().comment('Encrypted JSON');
    table.text('secret_inputs').notNullable().comment('Encrypted JSON');
    table.index(['owner']);
    table.index(['status', 'expires_at']);
  });
  // One live environment per (service, name); destroyed ones stay as history.
  await knex.raw(
    'CREATE UNIQUE INDEX environments_live_name ON environments (service, name) WHERE destroyed_at IS NULL',
  );

  await knex.schema.createTable('runs', table => {
    table.comment('Terraform runs: who asked, when, status, plan summary');
    table.string('id').primary().notNullable();
    table
      .string('environment_id')
      .notNullable()
      .references('id')
      .inTable('environments')
      .onDelete('CASCADE');
    table.string('kind').notNullable();
    table.string('status').notNullable();
    table.string('requested_by').notNullable();
    table.string('reason').nullable();
    table.string('created_at').notNullable();
    table.string('started_at').nullable();
    table.string('finished_at').nullable();
    table.string('heartbeat_at').nullable();
    table.string('claimed_by').nullable();
    table.text('plan').nullable().comment('JSON plan summary');
    table.text('error').nullable();
    table.index(['status', 'created_at']);
    table.index(['environment_id', 'created_at']);
  });

  await knex.schema.createTable('run_events', table => {
    table.comment('Progress of a run, one readable line per event');
    table
      .string('run_id')
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('seq').notNullable();
    table.string('at').notNullable();
    table.string('level').notNullable();
    table.text('message').notNullable();
    table.primary(['run_id', 'seq']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('run_events');
  await knex.schema.dropTable('runs');
  await knex.schema.dropTable('environments');
};
