import { useApi } from '@backstage/frontend-plugin-api';
import { useState } from 'react';
import {
  gitHostApiRef,
  HostedRepository,
  Pipeline,
  PipelineDetails,
} from '../../api';
import { RUNNER_OFF_TEXT } from '../pipelines';

export type PipelineAction =
  | { kind: 'cancel' }
  | { kind: 'rerun' }
  | { kind: 'play'; job: string };

const failures = {
  cancel: () => 'The pipeline was not canceled',
  rerun: () => 'The pipeline was not re-run',
  play: (action: PipelineAction) =>
    `${action.kind === 'play' ? action.job : 'The job'} was not started`,
};

/**
 * Why the signed-in user cannot cancel, re-run or start jobs here, or
 * undefined when they can. The backend decides; this only explains.
 */
export function refusalOf(
  repository: HostedRepository,
  pipeline: PipelineDetails,
): string | undefined {
  if (!repository.permissions.write) {
    return `Only the owners of ${repository.fullName} (${repository.owner}) and the platform team may cancel, re-run or start its pipelines' jobs.`;
  }
  if (!pipeline.runner) {
    return RUNNER_OFF_TEXT;
  }
  return undefined;
}

/**
 * Cancel, re-run and start a manual job. A refusal (403, 409) is kept with
 * the backend's reason until the next action.
 */
export function usePipelineActions(
  repository: HostedRepository,
  pipeline: PipelineDetails,
  options: {
    /** The pipeline changed: fetch it again. */
    onChange: () => void;
    /** A re-run made a new pipeline. */
    onRerun: (pipeline: Pipeline) => void;
  },
) {
  const gitHostApi = useApi(gitHostApiRef);
  const [busy, setBusy] = useState<PipelineAction>();
  const [failed, setFailed] = useState<{ title: string; error: Error }>();

  const run = async (action: PipelineAction) => {
    setBusy(action);
    setFailed(undefined);
    try {
      if (action.kind === 'cancel') {
        await gitHostApi.cancelPipeline(repository, pipeline.number);
        options.onChange();
      } else if (action.kind === 'rerun') {
        options.onRerun(
          await gitHostApi.rerunPipeline(repository, pipeline.number),
        );
      } else {
        await gitHostApi.playJob(repository, pipeline.number, action.job);
        options.onChange();
      }
    } catch (error) {
      setFailed({
        title: failures[action.kind](action),
        error: error as Error,
      });
    } finally {
      setBusy(undefined);
    }
  };

  return { run, busy, failed, refusal: refusalOf(repository, pipeline) };
}
