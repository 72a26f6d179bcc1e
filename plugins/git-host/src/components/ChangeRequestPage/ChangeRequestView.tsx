import {
  EmptyState,
  InfoCard,
  Link,
  MarkdownContent,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Grid, makeStyles, Typography } from '@material-ui/core';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { ChangeRequest, gitHostApiRef, HostedRepository } from '../../api';
import {
  ChangeRequestStateChip,
  CommitList,
  EntityRefText,
  RelativeTime,
  statusOf,
  useRepositoryPaths,
} from '../common';
import { ChangedFiles } from './ChangedFiles';
import { ChangeRequestActions } from './ChangeRequestActions';

const useStyles = makeStyles(theme => ({
  back: { display: 'inline-block', margin: theme.spacing(2, 0, 2, 3) },
  title: { display: 'flex', alignItems: 'baseline', gap: theme.spacing(1) },
  meta: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  branch: { fontFamily: 'monospace' },
}));

function Summary({ changeRequest }: { changeRequest: ChangeRequest }) {
  const classes = useStyles();
  return (
    <>
      <div className={classes.title}>
        <Typography variant="h4" component="h3">
          {changeRequest.title}
        </Typography>
        <Typography variant="h5" component="span" color="textSecondary">
          #{changeRequest.number}
        </Typography>
      </div>
      <div className={classes.meta}>
        <ChangeRequestStateChip changeRequest={changeRequest} />
        <Typography variant="body2" component="span">
          <EntityRefText entityRef={changeRequest.user.login} /> wants to merge{' '}
          <span className={classes.branch}>{changeRequest.head.ref}</span> →{' '}
          <span className={classes.branch}>{changeRequest.base.ref}</span>
          {' · opened '}
          <RelativeTime date={changeRequest.created_at} />
        </Typography>
      </div>
    </>
  );
}

function ChangeRequestDetails({
  repository,
  index,
}: {
  repository: HostedRepository;
  index: number;
}) {
  const gitHostApi = useApi(gitHostApiRef);
  const loaded = useAsync(
    () => gitHostApi.getChangeRequest(repository, index),
    [gitHostApi, repository, index],
  );
  const commits = useAsync(
    () => gitHostApi.listChangeRequestCommits(repository, index),
    [gitHostApi, repository, index],
  );
  const files = useAsync(
    () => gitHostApi.listChangeRequestFiles(repository, index),
    [gitHostApi, repository, index],
  );
  // What merge, close and reopen answered, newer than what was loaded.
  const [updated, setUpdated] = useState<ChangeRequest>();
  const changeRequest = updated ?? loaded.value;

  if (loaded.error && statusOf(loaded.error) === 404) {
    return (
      <EmptyState
        missing="data"
        title={`There is no change request #${index} in ${repository.fullName}`}
        description="Pick one from the list of change requests."
      />
    );
  }
  if (loaded.error) {
    return <ResponseErrorPanel error={loaded.error} />;
  }
  if (!changeRequest) {
    return <Progress />;
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Summary changeRequest={changeRequest} />
        <ChangeRequestActions
          repository={repository}
          changeRequest={changeRequest}
          onChange={setUpdated}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Description">
          {changeRequest.body?.trim() ? (
            <MarkdownContent content={changeRequest.body} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              No description.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="Commits" noPadding>
          {commits.loading && <Progress />}
          {commits.error && <ResponseErrorPanel error={commits.error} />}
          {commits.value && (
            <CommitList
              commits={commits.value}
              label={`Commits of ${changeRequest.title}`}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ChangedFiles
          files={files.value}
          loading={files.loading}
          error={files.error}
        />
      </Grid>
    </Grid>
  );
}

/**
 * One change request at `pulls/:index`: what it merges where, its
 * description, commits and per-file diff, and merge, close and reopen.
 */
export function ChangeRequestView({
  repository,
}: {
  repository: HostedRepository;
}) {
  const classes = useStyles();
  const { index = '' } = useParams();
  const paths = useRepositoryPaths(repository);
  const number = Number(index);

  return (
    <>
      <Link to={paths.changeRequests} className={classes.back}>
        ← All change requests
      </Link>
      {Number.isInteger(number) && number > 0 ? (
        <ChangeRequestDetails
          key={number}
          repository={repository}
          index={number}
        />
      ) : (
        <EmptyState
          missing="data"
          title={`“${index}” is no change request number`}
          description="Change requests are numbered 1, 2, 3…"
        />
      )}
    </>
  );
}
