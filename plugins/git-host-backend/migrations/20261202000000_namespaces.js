// @ts-check

const crypto = require('node:crypto');

/**
 * The owner segment of an entity ref, e.g. payments for group:default/payments.
 * @param {string} ownerRef
 */
function segmentOf(ownerRef) {
  const name = String(ownerRef).slice(String(ownerRef).lastIndexOf('/') + 1);
  return name.slice(name.indexOf(':') + 1).toLowerCase();
}

const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Repositories get an owner segment (`payments/shop`, as Gitea names them),
 * tokens an expiry, a scope, a last use and a revocation, and repositories
 * get change requests and commit statuses.
 *
 * Repositories of earlier releases keep their flat folder (`<name>.git`)
 * and their flat name as `legacy_name`, so their old clone and file URLs
 * keep working; their tokens, which never expired, now expire 90 days after
 * this migration.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('git_host_repos', table => {
    table.comment('Repositories kept by the embedded git host');
    table.string('id').primary();
    table
      .string('owner_segment')
      .notNullable()
      .comment("First part of the repository's path: its owner's name");
    table.string('name').notNullable().comment('Second part of its path');
    table.unique(['owner_segment', 'name']);
    table.string('owner').notNullable().comment('Entity ref of the owner');
    table
      .string('legacy_name')
      .nullable()
      .unique()
      .comment('Flat name of a repository made before owner segments');
    table
      .string('folder')
      .notNullable()
      .comment('Folder of the bare repository below the git root');
    table.text('description').nullable();
    table
      .string('visibility')
      .notNullable()
      .defaultTo('internal')
      .comment('internal: every signed-in user reads; private: owners only');
    table.boolean('protect_tags').notNullable().defaultTo(true);
    table
      .boolean('require_checks')
      .notNullable()
      .defaultTo(false)
      .comment('Merging into the default branch needs passing checks');
    table.string('created_by').notNullable();
    table.string('created_by_task').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('git_host_access_tokens', table => {
    table.comment('Credentials for git over HTTP, issued by the portal');
    table.string('id').primary();
    table.string('token_hash').notNullable().unique().comment('sha256 of it');
    table.string('name').notNullable();
    table.string('subject').notNullable().comment('Who it was issued to');
    table
      .string('repository_id')
      .nullable()
      .references('id')
      .inTable('git_host_repos')
      .onDelete('CASCADE')
      .comment('Set for a deploy token; null for a personal token');
    table.string('scope').notNullable().defaultTo('write');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('revoked_by').nullable();
  });

  await knex.schema.createTable('git_host_change_requests', table => {
    table.comment(
      'Change requests: a branch proposed for merging into another',
    );
    table.string('id').primary();
    table
      .string('repository_id')
      .notNullable()
      .references('id')
      .inTable('git_host_repos')
      .onDelete('CASCADE');
    table.integer('number').notNullable();
    table.unique(['repository_id', 'number']);
    table.string('title', 500).notNullable();
    table.text('body').nullable();
    table.string('head_ref').notNullable();
    table.string('base_ref').notNullable();
    table.string('state').notNullable().defaultTo('open');
    table.boolean('merged').notNullable().defaultTo(false);
    table.string('merge_commit_sha').nullable();
    table.string('merged_head_sha').nullable();
    table.string('merged_by').nullable();
    table.timestamp('merged_at', { useTz: true }).nullable();
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('closed_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('git_host_commit_statuses', table => {
    table.comment('Checks reported on commits (Gitea commit statuses)');
    table.string('id').primary();
    table
      .string('repository_id')
      .notNullable()
      .references('id')
      .inTable('git_host_repos')
      .onDelete('CASCADE');
    table.string('sha', 64).notNullable();
    table.string('context').notNullable();
    table.unique(['repository_id', 'sha', 'context']);
    table.string('state').notNullable();
    table.text('description').nullable();
    table.text('target_url').nullable();
    table.string('created_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  // Earlier releases' flat repositories and their tokens.
  const now = new Date();
  const ids = new Map();
  for (const row of await knex('git_host_repositories').select()) {
    const id = crypto.randomUUID();
    ids.set(row.name, id);
    await knex('git_host_repos').insert({
      id,
      owner_segment: segmentOf(row.owner),
      name: row.name,
      owner: row.owner,
      legacy_name: row.name,
      folder: `${row.name}.git`,
      description: row.description ?? null,
      visibility: 'internal',
      protect_tags: row.protect_tags ?? true,
      require_checks: false,
      created_by: row.created_by,
      created_by_task: row.created_by_task ?? null,
      created_at: row.created_at,
    });
  }
  for (const row of await knex('git_host_tokens').select()) {
    await knex('git_host_access_tokens').insert({
      id: row.id,
      token_hash: row.token_hash,
      name: 'Issued before tokens expired',
      subject: row.subject,
      repository_id: row.repository ? ids.get(row.repository) ?? null : null,
      scope: 'write',
      created_at: row.created_at,
      expires_at: new Date(now.getTime() + NINETY_DAYS_MS),
    });
  }
  await knex.schema.dropTable('git_host_tokens');
  await knex.schema.dropTable('git_host_repositories');
};

/**
 * Back to flat repositories: only those that have a flat folder survive.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.createTable('git_host_repositories', table => {
    table.string('name').primary();
    table.string('owner').notNullable();
    table.text('description').nullable();
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('created_by_task').nullable();
    table.boolean('protect_tags').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('git_host_tokens', table => {
    table.string('id').primary();
    table.string('token_hash').notNullable().unique();
    table
      .string('repository')
      .nullable()
      .references('name')
      .inTable('git_host_repositories')
      .onDelete('CASCADE');
    table.string('subject').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  const names = new Map();
  for (const row of await knex('git_host_repos')
    .whereNotNull('legacy_name')
    .select()) {
    names.set(row.id, row.legacy_name);
    await knex('git_host_repositories').insert({
      name: row.legacy_name,
      owner: row.owner,
      description: row.description,
      created_by: row.created_by,
      created_at: row.created_at,
      created_by_task: row.created_by_task,
      protect_tags: row.protect_tags,
    });
  }
  for (const row of await knex('git_host_access_tokens')
    .whereNull('revoked_at')
    .select()) {
    if (row.repository_id && !names.has(row.repository_id)) continue;
    await knex('git_host_tokens').insert({
      id: row.id,
      token_hash: row.token_hash,
      repository: row.repository_id ? names.get(row.repository_id) : null,
      subject: row.subject,
      created_at: row.created_at,
    });
  }
  await knex.schema.dropTable('git_host_commit_statuses');
  await knex.schema.dropTable('git_host_change_requests');
  await knex.schema.dropTable('git_host_access_tokens');
  await knex.schema.dropTable('git_host_repos');
};
