import { Link } from '@backstage/core-components';
import { Deployment } from '../../api';

const PORTAL_PIPELINE = /^\/repositories\/[^/]+\/[^/]+\/pipelines\/(\d+)$/;

/**
 * The pipeline that made a deployment: a pipeline of the portal's own runner
 * opens in the portal, another CI's run on its own site.
 */
export function PipelineLink({
  deployment,
}: {
  deployment: Pick<Deployment, 'pipelineUrl'>;
}) {
  const url = deployment.pipelineUrl;
  if (!url) return <>—</>;
  let path: string | undefined;
  try {
    path = new URL(url, window.location.origin).pathname;
  } catch {
    return <>{url}</>;
  }
  const portal = path.match(PORTAL_PIPELINE);
  if (portal) {
    return <Link to={path}>Pipeline #{portal[1]}</Link>;
  }
  return <Link to={url}>Pipeline</Link>;
}
