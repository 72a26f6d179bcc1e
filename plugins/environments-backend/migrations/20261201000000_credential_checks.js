// @ts-check

/**
 * The last check that an environment's credentials really connect (after an
 * apply and at every drift check): an environment whose check failed is
 * `degraded`, not `ready`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environments', table => {
    table
      .text('checks')
      .nullable()
      .comment('JSON array of the last credential checks');
    table.string('checked_at').nullable().comment('ISO 8601, UTC');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('environments', table => {
    table.dropColumn('checks');
    table.dropColumn('checked_at');
  });
};
