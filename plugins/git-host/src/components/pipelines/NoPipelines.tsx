import { EmptyState } from '@backstage/core-components';
import { Alert } from '@backstage/ui';

/** What a portal without the pipeline runner does instead. */
export const RUNNER_OFF_TEXT =
  'Pipelines run in your own CI on this portal; deployments are reported to /api/deployments/report';

/** The portal does not run pipelines: where they run instead. */
export function RunnerOffNote() {
  return (
    <Alert
      status="info"
      icon
      title="No pipelines here"
      description={RUNNER_OFF_TEXT}
      mb="3"
    />
  );
}

/** A repository without pipelines: how to get one. */
export function NoPipelineYet({ fullName }: { fullName: string }) {
  return (
    <EmptyState
      missing="content"
      title="No pipeline yet: push a .gitlab-ci.yml"
      description={`Every push to a branch of ${fullName}, and every change request, runs the .gitlab-ci.yml at the root of its commit. Golden-path services come with one.`}
    />
  );
}
