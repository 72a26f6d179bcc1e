import { EmptyState, InfoCard } from '@backstage/core-components';
import {
  Button,
  Chip,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import { DeploymentFact } from '../../api';
import { EntityRefText, RelativeTime } from '../common';
import { PipelineLink } from '../EntityDeploymentsContent/PipelineLink';
import { ciSha, StatusChip } from '../pipelines';
import { CausedIncidentDialog } from './CausedIncidentDialog';
import { durationText } from './deliveryText';
import { DeploymentSelection } from './FigureCards';
import { failureReasonLabels, reworkLabels } from './reasonText';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 2, 1),
  },
  sha: { fontFamily: 'monospace' },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  small: { display: 'block' },
}));

function Failure({ deployment }: { deployment: DeploymentFact }) {
  const classes = useStyles();
  const { failure } = deployment;
  if (!failure) return <>—</>;
  return (
    <>
      <div className={classes.chips}>
        {failure.reasons.map(reason => (
          <Tooltip
            key={`${reason.kind}:${reason.detail}`}
            title={reason.detail}
          >
            <Chip
              label={failureReasonLabels[reason.kind] ?? reason.kind}
              size="small"
              variant="outlined"
              color="secondary"
              data-testid="failure-reason"
            />
          </Tooltip>
        ))}
      </div>
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.small}
      >
        {failure.recoveredAt ? (
          <>
            recovered <RelativeTime date={failure.recoveredAt} />
          </>
        ) : (
          'not recovered yet'
        )}
      </Typography>
    </>
  );
}

function Rework({ deployment }: { deployment: DeploymentFact }) {
  if (!deployment.rework) return <>—</>;
  return (
    <Tooltip title={deployment.rework.detail}>
      <Chip
        label={reworkLabels[deployment.rework.kind] ?? deployment.rework.kind}
        size="small"
        variant="outlined"
        data-testid="rework-kind"
      />
    </Tooltip>
  );
}

/**
 * The deployments in the figures' window, or those behind one figure, each
 * with why it counts as a change failure or rework; an owner marks one as
 * the cause of an incident here.
 */
export function DeliveryDeployments({
  deployments,
  selection,
  onShowAll,
  onChange,
  showService = false,
  emptyTitle,
  emptyDescription,
}: {
  deployments: DeploymentFact[];
  selection?: DeploymentSelection;
  onShowAll: () => void;
  /** After an incident was recorded: the figures change. */
  onChange: () => void;
  /** Group pages list the deployments of several services. */
  showService?: boolean;
  emptyTitle: string;
  emptyDescription: string;
}) {
  const classes = useStyles();
  const [causing, setCausing] = useState<DeploymentFact>();
  const ids = selection && new Set(selection.deploymentIds);
  const shown = ids ? deployments.filter(d => ids.has(d.id)) : deployments;

  let body;
  if (deployments.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={emptyTitle}
        description={emptyDescription}
      />
    );
  } else {
    body = (
      <Table size="small" aria-label="Deployments in the window">
        <TableHead>
          <TableRow>
            {showService && <TableCell>Service</TableCell>}
            <TableCell>Finished</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell>Change failure</TableCell>
            <TableCell>Rework</TableCell>
            <TableCell>Lead time</TableCell>
            <TableCell>Pipeline</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(deployment => (
            <TableRow key={deployment.id} data-testid="delivery-deployment">
              {showService && (
                <TableCell>
                  <EntityRefText entityRef={deployment.service} />
                </TableCell>
              )}
              <TableCell>
                <RelativeTime date={deployment.finishedAt} />
              </TableCell>
              <TableCell>
                {deployment.version ?? '—'}
                <Typography
                  variant="caption"
                  className={`${classes.small} ${classes.sha}`}
                  title={deployment.commit}
                >
                  {ciSha(deployment.commit)}
                </Typography>
              </TableCell>
              <TableCell>
                <StatusChip status={deployment.outcome} />
              </TableCell>
              <TableCell>
                <Failure deployment={deployment} />
              </TableCell>
              <TableCell>
                <Rework deployment={deployment} />
              </TableCell>
              <TableCell>
                {deployment.leadTimeMedian === undefined
                  ? '—'
                  : durationText(deployment.leadTimeMedian)}
              </TableCell>
              <TableCell>
                <PipelineLink deployment={deployment} />
              </TableCell>
              <TableCell align="right">
                <Button size="small" onClick={() => setCausing(deployment)}>
                  Caused an incident
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <>
      <InfoCard title="Deployments" subheader="Newest first" noPadding>
        {selection && (
          <div className={classes.toolbar}>
            <Typography variant="body2">
              {shown.length === 1
                ? 'The deployment'
                : `The ${shown.length} deployments`}{' '}
              behind {selection.figure.toLocaleLowerCase('en-US')}
            </Typography>
            <Button size="small" color="primary" onClick={onShowAll}>
              Show all
            </Button>
          </div>
        )}
        {body}
      </InfoCard>
      {causing && (
        <CausedIncidentDialog
          deployment={causing}
          onClose={() => setCausing(undefined)}
          onRecorded={() => {
            setCausing(undefined);
            onChange();
          }}
        />
      )}
    </>
  );
}
