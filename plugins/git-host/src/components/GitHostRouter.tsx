import { Content, EmptyState } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { RepositoriesPage } from './RepositoriesPage';
import { RepositoryPage } from './RepositoryPage';

/**
 * The plugin's page: every repository at its root, one repository below it
 * (`/:owner/:name`, with its files, commits, branches, change requests and
 * pipelines; RepositoryPage routes those, `pipelines/:number` included, so
 * they share the repository's header and tabs).
 */
export function GitHostRouter() {
  return (
    <Routes>
      <Route path="/" element={<RepositoriesPage />} />
      <Route path="/:owner/:name/*" element={<RepositoryPage />} />
      <Route
        path="*"
        element={
          <Content>
            <EmptyState
              missing="info"
              title="There is no such page"
              description="A repository's page is /repositories/<owner>/<name>, e.g. /repositories/payments/shop."
            />
          </Content>
        }
      />
    </Routes>
  );
}
