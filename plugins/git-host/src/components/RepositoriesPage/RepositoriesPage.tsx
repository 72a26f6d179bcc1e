import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Header } from '@backstage/ui';
import { Grid } from '@material-ui/core';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitHostApiRef } from '../../api';
import { GitTokenButton, GitTokensCard } from '../GitTokens';
import { RepositoriesTable } from './RepositoriesTable';

/** Every hosted repository, and the signed-in user's git tokens. */
export function RepositoriesPage() {
  const gitHostApi = useApi(gitHostApiRef);
  const tokens = useAsyncRetry(() => gitHostApi.listTokens(), [gitHostApi]);

  return (
    <>
      <Header
        title="Hosted git repositories"
        description="The git repositories Paved hosts for your services, with their owners, latest commits and clone URLs."
        customActions={<GitTokenButton onIssued={tokens.retry} />}
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <RepositoriesTable />
          </Grid>
          <Grid item xs={12}>
            <GitTokensCard
              tokens={tokens.value}
              loading={tokens.loading}
              error={tokens.error}
              onChange={tokens.retry}
            />
          </Grid>
        </Grid>
      </Content>
    </>
  );
}
