import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';

export type PipelineStatus =
  | 'queued'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceled'
  | 'interrupted'
  | 'invalid';

export type JobStatus =
  | 'created'
  | 'pending'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceled'
  | 'skipped'
  | 'manual'
  | 'interrupted';

export const FINISHED_PIPELINE: PipelineStatus[] = [
  'success',
  'failed',
  'canceled',
  'interrupted',
  'invalid',
];

/** A pipeline, times as ISO 8601 strings. */
export interface PipelineRecord {
  id: string;
  repositoryId: string;
  number: number;
  ref: string;
  sha: string;
  trigger: 'push' | 'change_request' | 'rerun';
  changeRequest?: number;
  rerunOf?: string;
  createdBy: string;
  status: PipelineStatus;
  error?: string;
  cancelRequested: boolean;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  claimedBy?: string;
}

export interface JobRecord {
  id: string;
  pipelineId: string;
  position: number;
  name: string;
  stage: string;
  stageIndex: number;
  /** Job names it needs, or undefined: every job of the earlier stages. */
  needs?: string[];
  when: string;
  allowFailure: boolean;
  environment?: string;
  status: JobStatus;
  exitCode?: number;
  error?: string;
  startedBy?: string;
  startedAt?: string;
  finishedAt?: string;
  pid?: number;
  logBytes: number;
  logTruncated: boolean;
}

export type NewJob = Pick<
  JobRecord,
  'name' | 'stage' | 'stageIndex' | 'needs' | 'when' | 'allowFailure'
> & { environment?: string };

const iso = (value: unknown) =>
  value === null || value === undefined
    ? undefined
    : new Date(value as string).toISOString();

/** Pipelines, their jobs and their logs in the git host's database. */
export class PipelineStore {
  constructor(private readonly db: Knex) {}

  /** Queues a pipeline; its number is the repository's next. */
  async create(pipeline: {
    repositoryId: string;
    ref: string;
    sha: string;
    trigger: PipelineRecord['trigger'];
    changeRequest?: number;
    rerunOf?: string;
    createdBy: string;
  }): Promise<PipelineRecord> {
    const id = randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.transaction(async tx => {
          const row = await tx('git_host_pipelines')
            .where({ repository_id: pipeline.repositoryId })
            .max({ n: 'number' })
            .first();
          await tx('git_host_pipelines').insert({
            id,
            repository_id: pipeline.repositoryId,
            number: Number(row?.n ?? 0) + 1,
            ref: pipeline.ref,
            sha: pipeline.sha,
            trigger: pipeline.trigger,
            change_request: pipeline.changeRequest ?? null,
            rerun_of: pipeline.rerunOf ?? null,
            created_by: pipeline.createdBy,
            status: 'queued',
            created_at: new Date(),
          });
        });
        return (await this.get(id))!;
      } catch (error) {
        // Two pushes took the same number at once: take the next.
        if (attempt >= 5 || !/unique|duplicate/i.test(String(error))) {
          throw error;
        }
      }
    }
  }

  async get(id: string): Promise<PipelineRecord | undefined> {
    const row = await this.db('git_host_pipelines').where({ id }).first();
    return row && toPipeline(row);
  }

  async byNumber(repositoryId: string, number: number) {
    const row = await this.db('git_host_pipelines')
      .where({ repository_id: repositoryId, number })
      .first();
    if (!row) throw new NotFoundError(`No pipeline #${number}`);
    return toPipeline(row);
  }

  /** A repository's pipelines, newest first. */
  async list(
    repositoryId: string,
    options: { limit: number; ref?: string; sha?: string },
  ) {
    const query = this.db('git_host_pipelines')
      .where({ repository_id: repositoryId })
      .orderBy('number', 'desc')
      .limit(options.limit);
    if (options.ref) query.andWhere({ ref: options.ref });
    if (options.sha) query.andWhere({ sha: options.sha });
    return (await query).map(toPipeline);
  }

  async jobs(pipelineId: string): Promise<JobRecord[]> {
    const rows = await this.db('git_host_pipeline_jobs')
      .where({ pipeline_id: pipelineId })
      .orderBy('position');
    return rows.map(toJob);
  }

  async jobsOf(pipelineIds: string[]): Promise<JobRecord[]> {
    if (pipelineIds.length === 0) return [];
    const rows = await this.db('git_host_pipeline_jobs')
      .whereIn('pipeline_id', pipelineIds)
      .orderBy('position');
    return rows.map(toJob);
  }

  async addJobs(pipelineId: string, jobs: NewJob[]) {
    if (jobs.length === 0) return;
    await this.db('git_host_pipeline_jobs').insert(
      jobs.map((job, position) => ({
        id: randomUUID(),
        pipeline_id: pipelineId,
        position,
        name: job.name,
        stage: job.stage,
        stage_index: job.stageIndex,
        needs: job.needs ? JSON.stringify(job.needs) : null,
        when: job.when,
        allow_failure: job.allowFailure,
        environment: job.environment ?? null,
        status: job.when === 'manual' ? 'manual' : 'created',
      })),
    );
  }

  async updateJob(
    id: string,
    patch: Partial<{
      status: JobStatus;
      exit_code: number | null;
      error: string | null;
      started_by: string | null;
      started_at: Date | null;
      finished_at: Date | null;
      pid: number | null;
    }>,
  ) {
    await this.db('git_host_pipeline_jobs').where({ id }).update(patch);
  }

  /** Claims the oldest queued pipeline of a repository with none running. */
  async claimNext(instanceId: string, busyRepositories: string[]) {
    const candidates = await this.db('git_host_pipelines as p')
      .where({ 'p.status': 'queued' })
      .whereNotIn('p.repository_id', busyRepositories)
      .whereNotExists(
        this.db('git_host_pipelines as r')
          .select(this.db.raw('1'))
          .whereRaw('r.repository_id = p.repository_id')
          .andWhere(q => q.where('r.status', 'running')),
      )
      .orderBy('p.created_at')
      .limit(5)
      .select('p.id', 'p.repository_id', 'p.number');
    // Only the oldest queued pipeline of each repository may start.
    const seen = new Set<string>();
    for (const candidate of candidates) {
      if (seen.has(candidate.repository_id)) continue;
      seen.add(candidate.repository_id);
      const older = await this.db('git_host_pipelines')
        .where({ repository_id: candidate.repository_id, status: 'queued' })
        .andWhere('number', '<', candidate.number)
        .first();
      if (older) continue;
      const now = new Date();
      const claimed = await this.db('git_host_pipelines')
        .where({ id: candidate.id, status: 'queued' })
        .update({
          status: 'running',
          claimed_by: instanceId,
          heartbeat_at: now,
          started_at: this.db.raw('COALESCE(started_at, ?)', [now]),
          finished_at: null,
        });
      if (claimed === 1) return (await this.get(candidate.id))!;
    }
    return undefined;
  }

  /** Ends a pipeline this replica holds; false when it no longer holds it. */
  async finish(
    id: string,
    status: PipelineStatus,
    error: string | undefined,
    claim: { claimedBy?: string; heartbeatBefore?: string },
  ) {
    const query = this.db('git_host_pipelines').where({
      id,
      status: 'running',
    });
    if (claim.claimedBy) query.andWhere({ claimed_by: claim.claimedBy });
    if (claim.heartbeatBefore) {
      query.andWhere('heartbeat_at', '<', new Date(claim.heartbeatBefore));
    }
    const updated = await query.update({
      status,
      error: error ?? null,
      finished_at: new Date(),
      cancel_requested: false,
    });
    return updated === 1;
  }

  /** Records that this replica still runs them; returns those it still holds. */
  async heartbeat(ids: string[], instanceId: string) {
    if (ids.length === 0) return [];
    await this.db('git_host_pipelines')
      .whereIn('id', ids)
      .andWhere({ claimed_by: instanceId, status: 'running' })
      .update({ heartbeat_at: new Date() });
    const rows = await this.db('git_host_pipelines')
      .whereIn('id', ids)
      .andWhere({ claimed_by: instanceId, status: 'running' })
      .select('id', 'cancel_requested');
    return rows.map(r => ({
      id: r.id as string,
      cancelRequested: Boolean(r.cancel_requested),
    }));
  }

  async findRunning(): Promise<PipelineRecord[]> {
    const rows = await this.db('git_host_pipelines').where({
      status: 'running',
    });
    return rows.map(toPipeline);
  }

  async findStale(before: string): Promise<PipelineRecord[]> {
    const rows = await this.db('git_host_pipelines')
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', new Date(before));
    return rows.map(toPipeline);
  }

  /**
   * Cancels a pipeline: a queued one at once, a running one by asking its
   * replica (it kills the running job). Returns the new state.
   */
  async requestCancel(id: string) {
    const now = new Date();
    const queued = await this.db('git_host_pipelines')
      .where({ id, status: 'queued' })
      .update({ status: 'canceled', finished_at: now });
    if (queued) {
      await this.db('git_host_pipeline_jobs')
        .where({ pipeline_id: id })
        .whereIn('status', ['created', 'pending'])
        .update({ status: 'canceled', finished_at: now });
      return 'canceled';
    }
    const running = await this.db('git_host_pipelines')
      .where({ id, status: 'running' })
      .update({ cancel_requested: true });
    if (running) return 'canceling';
    throw new ConflictError('The pipeline has already finished');
  }

  /**
   * Queues a manual job (or a job to run again) of a finished pipeline, or
   * of a running one, whose runner picks it up.
   */
  async playJob(pipelineId: string, jobName: string, by: string) {
    return this.db.transaction(async tx => {
      const job = await tx('git_host_pipeline_jobs')
        .where({ pipeline_id: pipelineId, name: jobName })
        .first();
      if (!job) throw new NotFoundError(`No job '${jobName}' in the pipeline`);
      if (job.status !== 'manual') {
        throw new ConflictError(
          `Job '${jobName}' is ${job.status}; only a manual job waiting to be started can be started`,
        );
      }
      await tx('git_host_pipeline_jobs')
        .where({ id: job.id, status: 'manual' })
        .update({ status: 'pending', started_by: by });
      await tx('git_host_pipelines')
        .where({ id: pipelineId })
        .whereIn('status', FINISHED_PIPELINE)
        .update({ status: 'queued', error: null, finished_at: null });
    });
  }

  /** Appends masked log text; returns whether the cap was reached. */
  async appendLog(
    job: { id: string },
    seq: number,
    text: string,
    bytes: number,
    truncated: boolean,
  ) {
    await this.db.transaction(async tx => {
      if (text)
        await tx('git_host_pipeline_logs').insert({
          job_id: job.id,
          seq,
          text,
        });
      await tx('git_host_pipeline_jobs')
        .where({ id: job.id })
        .update({ log_bytes: bytes, log_truncated: truncated });
    });
  }

  async lastLogSeq(jobId: string) {
    const row = await this.db('git_host_pipeline_logs')
      .where({ job_id: jobId })
      .max({ seq: 'seq' })
      .first();
    return Number(row?.seq ?? 0);
  }

  /** Log chunks after `after`, in order. */
  async logAfter(jobId: string, after: number) {
    const rows = await this.db('git_host_pipeline_logs')
      .where({ job_id: jobId })
      .andWhere('seq', '>', after)
      .orderBy('seq')
      .limit(500);
    return rows.map(r => ({ seq: Number(r.seq), text: r.text as string }));
  }
}

function toPipeline(row: any): PipelineRecord {
  return {
    id: row.id,
    repositoryId: row.repository_id,
    number: Number(row.number),
    ref: row.ref,
    sha: row.sha,
    trigger: row.trigger,
    changeRequest: row.change_request ?? undefined,
    rerunOf: row.rerun_of ?? undefined,
    createdBy: row.created_by,
    status: row.status,
    error: row.error ?? undefined,
    cancelRequested: Boolean(row.cancel_requested),
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    claimedBy: row.claimed_by ?? undefined,
  };
}

function toJob(row: any): JobRecord {
  return {
    id: row.id,
    pipelineId: row.pipeline_id,
    position: Number(row.position),
    name: row.name,
    stage: row.stage,
    stageIndex: Number(row.stage_index),
    needs: row.needs ? JSON.parse(row.needs) : undefined,
    when: row.when,
    allowFailure: Boolean(row.allow_failure),
    environment: row.environment ?? undefined,
    status: row.status,
    exitCode: row.exit_code ?? undefined,
    error: row.error ?? undefined,
    startedBy: row.started_by ?? undefined,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    pid: row.pid ?? undefined,
    logBytes: Number(row.log_bytes ?? 0),
    logTruncated: Boolean(row.log_truncated),
  };
}
