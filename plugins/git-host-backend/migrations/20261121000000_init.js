// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('git_host_repositories', table => {
    table.comment('Bare repositories kept by the embedded git host');
    table.string('name').primary().comment('Repository name, also its folder');
    table.string('owner').notNullable().comment('Entity ref of the owner');
    table.text('description').nullable();
    table.string('created_by').notNullable().comment('Who created it');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('git_host_tokens', table => {
    table.comment('Credentials for git over HTTP, issued by the portal');
    table.string('id').primary();
    table.string('token_hash').notNullable().unique().comment('sha256 of it');
    table
      .string('repository')
      .nullable()
      .references('name')
      .inTable('git_host_repositories')
      .onDelete('CASCADE')
      .comment('Set for a deploy token; null for a user token');
    table.string('subject').notNullable().comment('Who it was issued to');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('git_host_tokens');
  await knex.schema.dropTable('git_host_repositories');
};
