import { EmptyState } from '@backstage/core-components';
import { HostedRepository } from '../../api';
import { CloneUrl } from './CloneUrl';

/** What to do with a repository nothing was pushed to yet. */
export function EmptyRepository({
  repository,
}: {
  repository: HostedRepository;
}) {
  return (
    <EmptyState
      missing="content"
      title={`This repository has no commits yet — push with: git push ${repository.cloneUrl} ${repository.defaultBranch}`}
      description={
        <>
          Git asks for a password: use a git token from the Repositories page.
          The clone URL is <CloneUrl repository={repository} />
        </>
      }
    />
  );
}
