import {
  Content,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Header } from '@backstage/ui';
import { Route, Routes, useParams } from 'react-router-dom';
import { Branch, HostedRepository } from '../../api';
import { rootRouteRef } from '../../routes';
import { ChangeRequestView } from '../ChangeRequestPage';
import { PipelineView } from '../PipelinePage';
import {
  CloneUrl,
  EntityRefText,
  statusOf,
  useRepositoryPaths,
} from '../common';
import { BranchesView } from './BranchesView';
import { ChangeRequestsView } from './changeRequests';
import { CommitsView } from './CommitsView';
import { FilesView } from './files';
import { PipelinesView } from './PipelinesView';
import { useRepository } from './useRepository';

const visibilityText = {
  internal: 'Internal: every signed-in user may read it',
  private: 'Private: only its owners and the platform team may read it',
};

// The tab a path below the repository belongs to: '' and 'src/…' are Files.
const tabOfPath: Record<string, string> = {
  '': 'files',
  src: 'files',
  commits: 'commits',
  branches: 'branches',
  pulls: 'pulls',
  pipelines: 'pipelines',
};

function RepositoryRoutes({
  repository,
  branches,
}: {
  repository: HostedRepository;
  branches: Branch[];
}) {
  const props = { repository, branches };
  return (
    <Routes>
      <Route path="/" element={<FilesView {...props} />} />
      <Route path="src/:ref/*" element={<FilesView {...props} />} />
      <Route path="commits" element={<CommitsView {...props} />} />
      <Route path="commits/:ref" element={<CommitsView {...props} />} />
      <Route path="branches" element={<BranchesView {...props} />} />
      <Route path="pulls" element={<ChangeRequestsView {...props} />} />
      <Route
        path="pulls/:index"
        element={<ChangeRequestView repository={repository} />}
      />
      <Route
        path="pipelines"
        element={<PipelinesView repository={repository} />}
      />
      <Route
        path="pipelines/:number"
        element={<PipelineView repository={repository} />}
      />
      <Route
        path="*"
        element={
          <EmptyState
            missing="info"
            title="This repository has no such page"
            description="Pick one of its tabs above."
          />
        }
      />
    </Routes>
  );
}

/**
 * One repository at `/repositories/:owner/:name`: its files, commits,
 * branches, change requests and pipelines, each a tab with its own URL.
 */
export function RepositoryPage() {
  const { owner = '', name = '', '*': rest = '' } = useParams();
  const { value, loading, error } = useRepository({ namespace: owner, name });
  const repositoriesLink = useRouteRef(rootRouteRef);
  const paths = useRepositoryPaths({ namespace: owner, name });
  const repository = value?.repository;

  let body;
  if (error && statusOf(error) === 404) {
    body = (
      <EmptyState
        missing="data"
        title={`There is no repository ${owner}/${name}`}
        description="It does not exist, or it is private to groups you are not in."
      />
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (loading || !value) {
    body = <Progress />;
  } else {
    body = (
      <RepositoryRoutes
        repository={value.repository}
        branches={value.branches}
      />
    );
  }

  return (
    <>
      <Header
        title={repository?.fullName ?? `${owner}/${name}`}
        description={repository?.description}
        metadata={
          repository && [
            {
              label: 'Owner',
              value: <EntityRefText entityRef={repository.owner} />,
            },
            {
              label: 'Visibility',
              value:
                visibilityText[repository.visibility] ?? repository.visibility,
            },
            { label: 'Clone URL', value: <CloneUrl repository={repository} /> },
          ]
        }
        tabs={[
          { id: 'files', label: 'Files', href: paths.root },
          { id: 'commits', label: 'Commits', href: paths.commits() },
          { id: 'branches', label: 'Branches', href: paths.branches },
          { id: 'pulls', label: 'Change requests', href: paths.changeRequests },
          { id: 'pipelines', label: 'Pipelines', href: paths.pipelines },
        ]}
        activeTabId={tabOfPath[rest.split('/')[0]] ?? null}
      />
      <Content>
        {/* A line of its own: a pipeline or change request page puts its
            own back link under it. */}
        {repositoriesLink && (
          <div>
            <Link to={repositoriesLink()}>← All repositories</Link>
          </div>
        )}
        {body}
      </Content>
    </>
  );
}
