import { Link } from '@backstage/core-components';
import { Pipeline } from '../../api';
import { EntityRefText, RepositoryPaths } from '../common';

/** "pushed by alice", "change request #3 by bob", "re-run by carol". */
export function PipelineTrigger({
  pipeline,
  paths,
}: {
  pipeline: Pipeline;
  paths: RepositoryPaths;
}) {
  const who = <EntityRefText entityRef={pipeline.createdBy} />;
  if (pipeline.trigger === 'change_request' && pipeline.changeRequest) {
    return (
      <>
        <Link to={paths.changeRequest(pipeline.changeRequest)}>
          change request #{pipeline.changeRequest}
        </Link>{' '}
        by {who}
      </>
    );
  }
  if (pipeline.trigger === 'rerun') {
    return <>re-run by {who}</>;
  }
  return <>pushed by {who}</>;
}
