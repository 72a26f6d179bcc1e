// @ts-check

/**
 * Pipelines: one row per run of a repository's `.gitlab-ci.yml` (after a
 * push to a branch or for a change request), one row per job, and the jobs'
 * logs in chunks, so they can be shown while the job runs. A pipeline is
 * claimed by one replica (`claimed_by`, `heartbeat_at`), as environment runs
 * are.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('git_host_pipelines', table => {
    table.comment('Runs of a repository pipeline on the embedded runner');
    table.string('id').primary();
    table
      .string('repository_id')
      .notNullable()
      .references('id')
      .inTable('git_host_repos')
      .onDelete('CASCADE');
    table.integer('number').notNullable().comment('Per repository, from 1');
    table.unique(['repository_id', 'number']);
    table.string('ref').notNullable().comment('The branch it ran for');
    table.string('sha', 64).notNullable();
    table
      .string('trigger')
      .notNullable()
      .comment('push, change_request or rerun');
    table.integer('change_request').nullable();
    table.string('rerun_of').nullable();
    table.string('created_by').notNullable().comment('Who pushed or asked');
    table
      .string('status')
      .notNullable()
      .comment(
        'queued, running, success, failed, canceled, interrupted, invalid',
      );
    table.text('error').nullable();
    table.boolean('cancel_requested').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('claimed_by').nullable();
    table.timestamp('heartbeat_at', { useTz: true }).nullable();
    table.index(['status', 'created_at']);
    table.index(['repository_id', 'sha']);
  });

  await knex.schema.createTable('git_host_pipeline_jobs', table => {
    table.comment('Jobs of a pipeline, as gitlab-ci-local lists them');
    table.string('id').primary();
    table
      .string('pipeline_id')
      .notNullable()
      .references('id')
      .inTable('git_host_pipelines')
      .onDelete('CASCADE');
    table.integer('position').notNullable().comment('Order in the file');
    table.string('name').notNullable();
    table.unique(['pipeline_id', 'name']);
    table.string('stage').notNullable();
    table.integer('stage_index').notNullable();
    table.text('needs').nullable().comment('JSON array of job names, or null');
    table.string('when').notNullable().comment('on_success, always, manual');
    table.boolean('allow_failure').notNullable().defaultTo(false);
    table.string('environment').nullable();
    table
      .string('status')
      .notNullable()
      .comment(
        'created, pending, running, success, failed, canceled, skipped, manual, interrupted',
      );
    table.integer('exit_code').nullable();
    table.text('error').nullable();
    table.string('started_by').nullable().comment('Who started a manual job');
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .integer('pid')
      .nullable()
      .comment('Process group of the running job, on the claiming host');
    table.integer('log_bytes').notNullable().defaultTo(0);
    table.boolean('log_truncated').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('git_host_pipeline_logs', table => {
    table.comment('Job logs in chunks, secrets masked before they are stored');
    table
      .string('job_id')
      .notNullable()
      .references('id')
      .inTable('git_host_pipeline_jobs')
      .onDelete('CASCADE');
    table.integer('seq').notNullable();
    table.primary(['job_id', 'seq']);
    table.text('text').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('git_host_pipeline_logs');
  await knex.schema.dropTable('git_host_pipeline_jobs');
  await knex.schema.dropTable('git_host_pipelines');
};
