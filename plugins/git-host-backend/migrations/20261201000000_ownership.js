// @ts-check

/**
 * Which scaffolder task made a repository (so a resumed task reuses it), and
 * whether its tags are protected from being moved or deleted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('git_host_repositories', table => {
    table
      .string('created_by_task')
      .nullable()
      .comment('Id of the scaffolder task that created it, if any');
    table
      .boolean('protect_tags')
      .notNullable()
      .defaultTo(true)
      .comment('Tags cannot be moved or deleted by a push');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('git_host_repositories', table => {
    table.dropColumn('created_by_task');
    table.dropColumn('protect_tags');
  });
};
