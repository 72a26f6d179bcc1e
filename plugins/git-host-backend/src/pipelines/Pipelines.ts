import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import express from 'express';
import { BareRepositories } from '../service/BareRepositories';
import { CommitStatuses } from '../service/CommitStatuses';
import { RepositoryRecord } from '../service/RepositoryStore';
import type { GitHostContext } from '../service/router';
import { Caller, callerName, RepositoryAccess } from '../service/access';
import { PipelineRunner } from './PipelineRunner';
import {
  JobRecord,
  PipelineRecord,
  PipelineStatus,
  PipelineStore,
} from './PipelineStore';

/** The commit status a pipeline reports on its commit (Gitea's statuses). */
export const PIPELINE_STATUS_CONTEXT = 'paved/pipeline';

const PIPELINE_FILE = '.gitlab-ci.yml';

/** A pipeline's state as a Gitea commit status. */
const COMMIT_STATES: Record<PipelineStatus | 'pending', string> = {
  pending: 'pending',
  queued: 'pending',
  running: 'pending',
  success: 'success',
  failed: 'failure',
  invalid: 'failure',
  canceled: 'error',
  interrupted: 'error',
};

const durationOf = (start?: string, end?: string) =>
  start ? (end ? Date.parse(end) : Date.now()) - Date.parse(start) : undefined;

/**
 * Pipelines of the git host's repositories: queued after pushes and for
 * change requests (when the runner is on), described for the UI, canceled,
 * re-run, their manual jobs started.
 */
export class Pipelines {
  constructor(
    private readonly deps: {
      store: PipelineStore;
      repositories: BareRepositories;
      statuses: CommitStatuses;
      logger: LoggerService;
      appBaseUrl: string;
    },
  ) {}

  private runner?: PipelineRunner;

  /** Turns pipelines on: pushes queue them, this runner runs them. */
  useRunner(runner: PipelineRunner) {
    this.runner = runner;
  }

  get enabled() {
    return Boolean(this.runner);
  }

  webUrl(repository: RepositoryRecord, number: number) {
    return `${this.deps.appBaseUrl}/repositories/${repository.fullName}/pipelines/${number}`;
  }

  /**
   * Queues a pipeline for each branch a push moved, when the pushed commit
   * has a `.gitlab-ci.yml`. A failure here never fails the push.
   */
  async afterRefsUpdated(
    repository: RepositoryRecord,
    updates: Array<{ ref: string; sha: string }>,
    by: string,
    trigger: 'push' | 'change_request' = 'push',
    changeRequest?: number,
  ) {
    if (!this.runner) return [];
    const queued: PipelineRecord[] = [];
    for (const { ref, sha } of updates) {
      try {
        const file = await this.deps.repositories.objectAt(
          repository.folder,
          sha,
          PIPELINE_FILE,
        );
        if (!file) continue;
        const pipeline = await this.deps.store.create({
          repositoryId: repository.id,
          ref,
          sha,
          trigger,
          changeRequest,
          createdBy: by,
        });
        queued.push(pipeline);
        await this.report(repository, pipeline, 'pending');
      } catch (error) {
        this.deps.logger.warn(
          `Could not queue a pipeline for ${repository.fullName} ${ref}: ${error}`,
        );
      }
    }
    if (queued.length) this.runner.wake();
    return queued;
  }

  /** Reports a pipeline's state as its commit's status, for change requests. */
  async report(
    repository: RepositoryRecord,
    pipeline: PipelineRecord,
    status: PipelineStatus | 'pending',
  ) {
    const state = COMMIT_STATES[status];
    await this.deps.statuses
      .report(
        repository.id,
        pipeline.sha,
        {
          state,
          context: PIPELINE_STATUS_CONTEXT,
          description: `Pipeline #${pipeline.number}: ${status}`,
          target_url: this.webUrl(repository, pipeline.number),
        },
        'plugin:git-host',
      )
      .catch(error =>
        this.deps.logger.warn(
          `Could not report pipeline #${pipeline.number} as a commit status: ${error}`,
        ),
      );
  }

  async describe(repository: RepositoryRecord, pipelines: PipelineRecord[]) {
    const jobs = await this.deps.store.jobsOf(pipelines.map(p => p.id));
    return pipelines.map(pipeline => ({
      id: pipeline.id,
      number: pipeline.number,
      repository: repository.fullName,
      ref: pipeline.ref,
      sha: pipeline.sha,
      trigger: pipeline.trigger,
      changeRequest: pipeline.changeRequest,
      rerunOf: pipeline.rerunOf,
      createdBy: pipeline.createdBy,
      status: pipeline.status,
      error: pipeline.error,
      cancelRequested: pipeline.cancelRequested || undefined,
      createdAt: pipeline.createdAt,
      startedAt: pipeline.startedAt,
      finishedAt: pipeline.finishedAt,
      durationMs: durationOf(pipeline.startedAt, pipeline.finishedAt),
      webUrl: this.webUrl(repository, pipeline.number),
      jobs: jobs.filter(job => job.pipelineId === pipeline.id).map(describeJob),
    }));
  }

  async cancel(repository: RepositoryRecord, number: number) {
    const pipeline = await this.deps.store.byNumber(repository.id, number);
    const state = await this.deps.store.requestCancel(pipeline.id);
    if (state === 'canceling') this.runner?.cancelLocal(pipeline.id);
    if (state === 'canceled')
      await this.report(repository, pipeline, 'canceled');
    return state;
  }

  async rerun(repository: RepositoryRecord, number: number, by: string) {
    if (!this.runner) throw runnerOff();
    const pipeline = await this.deps.store.byNumber(repository.id, number);
    if (pipeline.status === 'queued' || pipeline.status === 'running') {
      throw new ConflictError(
        `Pipeline #${number} is ${pipeline.status}; cancel it or wait for it to finish before running it again`,
      );
    }
    const rerun = await this.deps.store.create({
      repositoryId: repository.id,
      ref: pipeline.ref,
      sha: pipeline.sha,
      trigger: 'rerun',
      changeRequest: pipeline.changeRequest,
      rerunOf: pipeline.id,
      createdBy: by,
    });
    await this.report(repository, rerun, 'pending');
    this.runner.wake();
    return rerun;
  }

  async play(
    repository: RepositoryRecord,
    number: number,
    job: string,
    by: string,
  ) {
    if (!this.runner) throw runnerOff();
    const pipeline = await this.deps.store.byNumber(repository.id, number);
    await this.deps.store.playJob(pipeline.id, job, by);
    this.runner.wake();
    return pipeline;
  }
}

function runnerOff() {
  return new ConflictError(
    'The pipeline runner is off on this portal (gitHost.pipelines.runner): pipelines run in your own CI, which reports deployments to /api/deployments/report',
  );
}

function describeJob(job: JobRecord) {
  return {
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: job.status,
    when: job.when,
    allowFailure: job.allowFailure,
    environment: job.environment,
    needs: job.needs,
    exitCode: job.exitCode,
    error: job.error,
    startedBy: job.startedBy,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    durationMs: durationOf(job.startedAt, job.finishedAt),
    logBytes: job.logBytes,
    logTruncated: job.logTruncated || undefined,
  };
}

const parseNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InputError(`'${value}' is not a pipeline number`);
  }
  return n;
};

/** The pipelines API, under /repositories/:owner/:repo/pipelines. */
export function addPipelineRoutes(
  router: express.Router,
  options: {
    ctx: GitHostContext;
    access: RepositoryAccess;
    pipelines: Pipelines;
    store: PipelineStore;
  },
) {
  const { ctx, access, pipelines, store } = options;
  const base = '/repositories/:owner/:repo/pipelines';

  const repositoryFor = async (
    req: express.Request,
    action: 'read' | 'write',
  ): Promise<{ caller: Caller; repository: RepositoryRecord }> => {
    const caller = await access.fromRequest(req);
    const repository = await ctx.repositoryOf(
      req.params.owner,
      req.params.repo,
    );
    await access.assert(caller, action, repository);
    return { caller, repository };
  };

  router.get(base, async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const limit = Math.min(
      Math.max(Number(req.query.limit ?? 20) || 20, 1),
      100,
    );
    const ref = typeof req.query.ref === 'string' ? req.query.ref : undefined;
    const sha = typeof req.query.sha === 'string' ? req.query.sha : undefined;
    const list = await store.list(repository.id, { limit, ref, sha });
    res.json({
      runner: pipelines.enabled,
      items: await pipelines.describe(repository, list),
    });
  });

  router.get(`${base}/:number`, async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const pipeline = await store.byNumber(
      repository.id,
      parseNumber(req.params.number),
    );
    const [described] = await pipelines.describe(repository, [pipeline]);
    res.json({ ...described, runner: pipelines.enabled });
  });

  router.get(`${base}/:number/jobs/:job/log`, async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const pipeline = await store.byNumber(
      repository.id,
      parseNumber(req.params.number),
    );
    const job = (await store.jobs(pipeline.id)).find(
      j => j.name === req.params.job,
    );
    if (!job) throw new NotFoundError(`No job '${req.params.job}'`);
    const after = Number(req.query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) {
      throw new InputError('after must be a whole number of at least 0');
    }
    const chunks = await store.logAfter(job.id, after);
    res.json({ job: describeJob(job), chunks });
  });

  router.post(`${base}/:number/cancel`, async (req, res) => {
    const { caller, repository } = await repositoryFor(req, 'write');
    const number = parseNumber(req.params.number);
    const state = await ctx.audit(
      'pipeline-cancel',
      caller,
      { repository: repository.fullName, pipeline: number },
      () => pipelines.cancel(repository, number),
    );
    res.status(202).json({ state });
  });

  router.post(`${base}/:number/rerun`, async (req, res) => {
    const { caller, repository } = await repositoryFor(req, 'write');
    const number = parseNumber(req.params.number);
    const rerun = await ctx.audit(
      'pipeline-rerun',
      caller,
      { repository: repository.fullName, pipeline: number },
      () => pipelines.rerun(repository, number, callerName(caller)),
    );
    const [described] = await pipelines.describe(repository, [rerun]);
    res.status(201).json(described);
  });

  router.post(`${base}/:number/jobs/:job/play`, async (req, res) => {
    const { caller, repository } = await repositoryFor(req, 'write');
    const number = parseNumber(req.params.number);
    const pipeline = await ctx.audit(
      'pipeline-job-play',
      caller,
      {
        repository: repository.fullName,
        pipeline: number,
        job: req.params.job,
      },
      () =>
        pipelines.play(repository, number, req.params.job, callerName(caller)),
    );
    const [described] = await pipelines.describe(repository, [
      (await store.get(pipeline.id))!,
    ]);
    res.status(202).json(described);
  });
}
