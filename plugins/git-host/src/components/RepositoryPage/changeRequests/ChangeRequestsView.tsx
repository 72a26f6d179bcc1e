import { EmptyState, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Paper,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Branch,
  ChangeRequest,
  gitHostApiRef,
  HostedRepository,
} from '../../../api';
import {
  ChangeRequestStateChip,
  EntityRefText,
  ErrorAlert,
  RelativeTime,
  RepositoryPaths,
  useRepositoryPaths,
} from '../../common';
import { NewChangeRequestDialog } from './NewChangeRequestDialog';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    justifyContent: 'flex-end',
    margin: theme.spacing(2, 0),
  },
  section: { marginBottom: theme.spacing(3) },
  heading: { padding: theme.spacing(1.5, 2, 0) },
  title: { fontWeight: 600 },
  none: { padding: theme.spacing(1, 2, 2) },
}));

function ChangeRequestItem({
  changeRequest,
  paths,
}: {
  changeRequest: ChangeRequest;
  paths: RepositoryPaths;
}) {
  const classes = useStyles();
  return (
    <ListItem divider>
      <ListItemText
        primary={
          <Link
            to={paths.changeRequest(changeRequest.number)}
            className={classes.title}
          >
            {changeRequest.title}
          </Link>
        }
        secondary={
          <>
            #{changeRequest.number} · {changeRequest.head.ref} →{' '}
            {changeRequest.base.ref} · opened{' '}
            <RelativeTime date={changeRequest.created_at} /> by{' '}
            <EntityRefText entityRef={changeRequest.user.login} />
          </>
        }
      />
      {changeRequest.state === 'closed' && (
        <ChangeRequestStateChip changeRequest={changeRequest} />
      )}
    </ListItem>
  );
}

function ChangeRequestSection({
  title,
  changeRequests,
  none,
  paths,
}: {
  title: string;
  changeRequests: ChangeRequest[];
  none: string;
  paths: RepositoryPaths;
}) {
  const classes = useStyles();
  return (
    <Paper variant="outlined" className={classes.section}>
      <Typography variant="h6" component="h3" className={classes.heading}>
        {title}
      </Typography>
      {changeRequests.length ? (
        <List aria-label={`${title} change requests`}>
          {changeRequests.map(changeRequest => (
            <ChangeRequestItem
              key={changeRequest.number}
              changeRequest={changeRequest}
              paths={paths}
            />
          ))}
        </List>
      ) : (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.none}
        >
          {none}
        </Typography>
      )}
    </Paper>
  );
}

/**
 * The Change requests tab: open ones, then closed and merged ones, and a way
 * to open a new one.
 */
export function ChangeRequestsView({
  repository,
  branches,
}: {
  repository: HostedRepository;
  branches: Branch[];
}) {
  const classes = useStyles();
  const gitHostApi = useApi(gitHostApiRef);
  const paths = useRepositoryPaths(repository);
  const [creating, setCreating] = useState(false);
  const { value, loading, error } = useAsync(
    () => gitHostApi.listChangeRequests(repository, { state: 'all' }),
    [gitHostApi, repository],
  );

  const newButton = (
    <Button
      color="primary"
      variant="contained"
      onClick={() => setCreating(true)}
    >
      New change request
    </Button>
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <ErrorAlert
        title="The change requests could not be loaded"
        error={error}
      />
    );
  } else if (!value?.length) {
    body = (
      <EmptyState
        missing="content"
        title="No change requests"
        description={`Push a branch with your changes, e.g. git push ${repository.cloneUrl} HEAD:my-change, then open a change request to merge it into ${repository.defaultBranch}.`}
        action={newButton}
      />
    );
  } else {
    const byNewest = (a: ChangeRequest, b: ChangeRequest) =>
      b.number - a.number;
    body = (
      <>
        <div className={classes.toolbar}>{newButton}</div>
        <ChangeRequestSection
          title="Open"
          changeRequests={value.filter(c => c.state === 'open').sort(byNewest)}
          none="No open change requests."
          paths={paths}
        />
        <ChangeRequestSection
          title="Closed"
          changeRequests={value.filter(c => c.state !== 'open').sort(byNewest)}
          none="No closed or merged change requests."
          paths={paths}
        />
      </>
    );
  }

  return (
    <>
      {body}
      {creating && (
        <NewChangeRequestDialog
          repository={repository}
          branches={branches}
          onClose={() => setCreating(false)}
        />
      )}
    </>
  );
}
