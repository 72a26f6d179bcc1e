// @ts-check

/**
 * Modules as data: what the developer entered for a module's form inputs,
 * and the manifest and version of each module an environment was last
 * applied with (its files are kept under dataDir/modules/<name>@<version>),
 * so an update can be shown and an environment whose module was removed can
 * still be destroyed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environments', table => {
    table
      .text('module_inputs')
      .nullable()
      .comment('JSON: per building block, its form inputs');
    table
      .text('applied_modules')
      .nullable()
      .comment('JSON: per building block, the manifest it was applied with');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('environments', table => {
    table.dropColumn('module_inputs');
    table.dropColumn('applied_modules');
  });
};
