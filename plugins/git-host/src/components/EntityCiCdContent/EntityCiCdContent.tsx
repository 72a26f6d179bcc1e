import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { makeStyles, Typography } from '@material-ui/core';
import { RepositoryLocator } from '../../api';
import { gitHostRepositoryOf } from '../../entityRepository';
import { ErrorAlert, statusOf, useRepositoryPaths } from '../common';
import {
  NoPipelineYet,
  PipelineTable,
  RunnerOffNote,
  usePipelines,
} from '../pipelines';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2) },
}));

/** How many pipelines the tab shows; the repository's tab has more. */
const LATEST = 10;

function LatestPipelines({ repository }: { repository: RepositoryLocator }) {
  const fullName = `${repository.namespace}/${repository.name}`;
  const paths = useRepositoryPaths(repository);
  const { list, error, loading } = usePipelines(repository, LATEST);

  if (loading) return <Progress />;
  if (!list && error && statusOf(error) === 404) {
    return (
      <EmptyState
        missing="data"
        title={`There is no repository ${fullName}`}
        description="The source location of this component names a repository that does not exist, or is private to groups you are not in."
      />
    );
  }
  if (!list) {
    return error ? (
      <ErrorAlert title="The pipelines could not be loaded" error={error} />
    ) : null;
  }
  return (
    <>
      {error && (
        <ErrorAlert
          title="The pipelines could not be refreshed"
          error={error}
        />
      )}
      {!list.runner && <RunnerOffNote />}
      {list.items.length > 0 && (
        <InfoCard
          title="Latest pipelines"
          subheader={`Of ${fullName}, newest first`}
          deepLink={{ title: 'All pipelines', link: paths.pipelines }}
          noPadding
        >
          <PipelineTable
            repository={repository}
            pipelines={list.items}
            label={`Latest pipelines of ${fullName}`}
          />
        </InfoCard>
      )}
      {list.runner && list.items.length === 0 && (
        <NoPipelineYet fullName={fullName} />
      )}
    </>
  );
}

/**
 * The CI/CD tab of a component whose source is on the git host: its
 * repository's latest pipelines with their jobs, live, each leading to the
 * pipeline's page.
 */
export function EntityCiCdContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const repository = gitHostRepositoryOf(entity);
  const paths = useRepositoryPaths(repository ?? { namespace: '', name: '' });

  if (!repository) {
    return (
      <EmptyState
        missing="info"
        title="This component's source is not on the portal's git host"
        description="Its pipelines run where its repository is. The CI/CD tab shows components whose backstage.io/source-location points into /api/git-host."
      />
    );
  }
  return (
    <div className={classes.root}>
      <Typography variant="body2">
        Repository{' '}
        <Link to={paths.root}>
          {repository.namespace}/{repository.name}
        </Link>
      </Typography>
      <LatestPipelines repository={repository} />
    </div>
  );
}
