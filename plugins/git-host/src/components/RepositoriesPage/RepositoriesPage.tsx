import { Content } from '@backstage/core-components';
import { Header } from '@backstage/ui';
import { GitTokenButton } from './GitTokenButton';
import { RepositoriesTable } from './RepositoriesTable';

export function RepositoriesPage() {
  return (
    <>
      <Header
        title="Hosted git repositories"
        description="The git repositories Paved hosts for your services, with their owners, latest commits and clone URLs."
        customActions={<GitTokenButton />}
      />
      <Content>
        <RepositoriesTable />
      </Content>
    </>
  );
}
