// @ts-check

/**
 * Modules as data: what the developer entered for a module's form inputs,
 * and the manifest and version of each module an environment was last
 * applied with (its files are kept under dataDir/modules/<name>@<version>),
 * so an update can be shown and an environment whose module was removed can
 * still be destroyed; and the key of the request that made an environment,
 * so a scaffolder step resumed after a crash gets it back instead of a
 * conflict.
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
    table
      .string('request_id', 200)
      .nullable()
      .comment('The key of the request that made it, e.g. a scaffolder task');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('environments', table => {
    table.dropColumn('module_inputs');
    table.dropColumn('applied_modules');
    table.dropColumn('request_id');
  });
};
