// The git host's pipelines as its backend describes them: each push to a
// branch and each change request runs the repository's .gitlab-ci.yml on the
// portal's embedded runner, when the portal has it on.

/** `invalid`: the pipeline file could not be read; `error` says why. */
export type PipelineStatus =
  | 'queued'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceled'
  | 'interrupted'
  | 'invalid';

/**
 * `created` waits for the jobs it needs, `pending` for a free runner slot;
 * `manual` waits for someone to start it.
 */
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

/** One job of a pipeline, times as ISO 8601 strings. */
export interface PipelineJob {
  id: string;
  name: string;
  stage: string;
  status: JobStatus;
  /** GitLab's `when`: on_success, manual, always… */
  when: string;
  allowFailure: boolean;
  /** The environment a deploy job deploys to. */
  environment?: string;
  /** Job names it waits for; absent: every job of the earlier stages. */
  needs?: string[];
  exitCode?: number;
  error?: string;
  /** Who started a manual job. */
  startedBy?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** How much of its log is kept. */
  logBytes: number;
  /** The job wrote more than the portal keeps: the end is missing. */
  logTruncated?: boolean;
}

/** One run of a repository's pipeline file for one commit. */
export interface Pipeline {
  id: string;
  /** The repository's pipeline number: #1, #2… */
  number: number;
  /** `<namespace>/<name>`, e.g. `payments/shop`. */
  repository: string;
  /** The branch, e.g. `main`. */
  ref: string;
  sha: string;
  trigger: 'push' | 'change_request' | 'rerun';
  /** The change request's number, when one triggered it. */
  changeRequest?: number;
  /** The id of the pipeline this one re-runs. */
  rerunOf?: string;
  /** Entity ref of the user who pushed, or re-ran it. */
  createdBy: string;
  status: PipelineStatus;
  /** Why it could not run, e.g. what is wrong in the pipeline file. */
  error?: string;
  /** A cancel was asked for and is under way. */
  cancelRequested?: boolean;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** The pipeline's page in the portal. */
  webUrl: string;
  jobs: PipelineJob[];
}

/**
 * Pipelines newest first; `runner` is false where the portal does not run
 * pipelines (teams use their own CI).
 */
export interface PipelineList {
  runner: boolean;
  items: Pipeline[];
}

/** A pipeline with whether the portal runs pipelines. */
export type PipelineDetails = Pipeline & { runner: boolean };

/** A piece of a job's log, secrets already masked as [MASKED]. */
export interface LogChunk {
  seq: number;
  text: string;
}

/**
 * The chunks of a job's log after a given `seq`, at most
 * {@link JOB_LOG_PAGE_SIZE}, and the job as it is now.
 */
export interface JobLogPage {
  job: PipelineJob;
  chunks: LogChunk[];
}

/** The most chunks the backend returns at once: a full page means more. */
export const JOB_LOG_PAGE_SIZE = 500;
