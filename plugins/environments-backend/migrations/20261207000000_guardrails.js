// @ts-check

/**
 * Guardrails: a plan that waits for approval (its gate: policy results,
 * cost, approvals needed), the saved plan file it would apply (sealed), the
 * decisions on it, and the audit trail of everything done to environments.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .text('gate')
      .nullable()
      .comment('JSON: protection, policy results, cost, override');
    table
      .string('plan_hash', 64)
      .nullable()
      .comment('SHA-256 of the saved plan an approval applies');
    table
      .string('approval_expires_at')
      .nullable()
      .comment('When a plan that waits for approval expires');
    table
      .string('approved_at')
      .nullable()
      .comment('When its approvals were complete and its apply queued');
  });
  await knex.schema.alterTable('environments', table => {
    table
      .string('expiry_notified_at')
      .nullable()
      .comment('When its owners were told it expires within a day');
  });
  await knex.schema.createTable('run_plans', table => {
    table.comment('Saved plan files that wait for approval, sealed');
    table
      .string('run_id')
      .primary()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.string('plan_hash', 64).notNullable();
    table.text('sealed').notNullable().comment('Encrypted plan file');
    table.string('created_at').notNullable();
  });
  await knex.schema.createTable('run_approvals', table => {
    table.comment('Approvals and rejections of a plan that waits');
    table
      .string('run_id')
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.string('approver').notNullable().comment('User entity ref');
    table.string('decision').notNullable().comment('approve or reject');
    table.string('plan_hash', 64).notNullable();
    table.text('comment').nullable();
    table.string('at').notNullable();
    table.primary(['run_id', 'approver']);
  });
  await knex.schema.createTable('environment_audit', table => {
    table.comment('Who did what to which environment, and how it ended');
    table.increments('id');
    table.string('at').notNullable();
    table.string('actor').notNullable();
    table.string('action').notNullable();
    table.string('outcome').notNullable();
    table.string('environment_id').nullable();
    table.string('service').nullable();
    table.string('environment').nullable();
    table.string('owner').nullable();
    table.string('run_id').nullable();
    table.text('detail').nullable();
    table.index(['at']);
    table.index(['owner', 'at']);
    table.index(['actor', 'at']);
    table.index(['environment_id', 'at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_audit');
  await knex.schema.dropTable('run_approvals');
  await knex.schema.dropTable('run_plans');
  await knex.schema.alterTable('environments', table => {
    table.dropColumn('expiry_notified_at');
  });
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('gate');
    table.dropColumn('plan_hash');
    table.dropColumn('approval_expires_at');
    table.dropColumn('approved_at');
  });
};
