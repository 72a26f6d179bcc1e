import { JobStatus, Pipeline, PipelineJob, PipelineStatus } from '../../api';

/** The pipeline will change by itself: its page keeps asking. */
export function isPipelineActive(pipeline: Pipeline): boolean {
  return (
    pipeline.status === 'queued' ||
    pipeline.status === 'running' ||
    pipeline.jobs.some(job => isJobActive(job.status))
  );
}

/** The job runs or will run without anyone starting it. */
export function isJobActive(status: JobStatus): boolean {
  return status === 'created' || status === 'pending' || status === 'running';
}

const finished: PipelineStatus[] = [
  'success',
  'failed',
  'canceled',
  'interrupted',
  'invalid',
];

export function isPipelineFinished(pipeline: Pick<Pipeline, 'status'>) {
  return finished.includes(pipeline.status);
}

/** "45s", "3m 05s", "1h 02m": how long something took. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/**
 * How long a pipeline or job took, or has been running for; nothing while
 * it has not started.
 */
export function durationText(
  item: Pick<PipelineJob, 'startedAt' | 'finishedAt' | 'durationMs'>,
  now: number = Date.now(),
): string | undefined {
  if (item.durationMs !== undefined) return formatDuration(item.durationMs);
  if (item.startedAt && !item.finishedAt) {
    return `${formatDuration(now - Date.parse(item.startedAt))} so far`;
  }
  return undefined;
}

/**
 * The 8 characters GitLab shows for a commit, as a pipeline's
 * CI_COMMIT_SHORT_SHA: deploy jobs often tag versions with it.
 */
export function ciSha(sha: string): string {
  return sha.slice(0, 8);
}

/** The jobs by stage, stages in the order the pipeline file lists them. */
export function jobsByStage(
  jobs: PipelineJob[],
): Array<{ stage: string; jobs: PipelineJob[] }> {
  const stages = new Map<string, PipelineJob[]>();
  for (const job of jobs) {
    stages.set(job.stage, [...(stages.get(job.stage) ?? []), job]);
  }
  return [...stages].map(([stage, stageJobs]) => ({ stage, jobs: stageJobs }));
}
