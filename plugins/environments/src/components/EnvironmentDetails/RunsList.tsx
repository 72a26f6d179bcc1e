import { InfoCard } from '@backstage/core-components';
import { Alert } from '@backstage/ui';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  makeStyles,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { EnvironmentRun } from '@internal/plugin-environments-common';
import { useState } from 'react';
import {
  entityRefTitle,
  RelativeTime,
  RequesterText,
  RunStatusLabel,
  runKindTitle,
} from '../common';
import { PlanSummary } from './PlanSummary';
import { RunGateDetails } from './RunGateDetails';
import { RunLog } from './RunLog';

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  kind: { fontWeight: 600, minWidth: 120 },
  details: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    width: '100%',
  },
  times: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(3) },
}));

function RunTimes({ run }: { run: EnvironmentRun }) {
  const classes = useStyles();
  return (
    <Typography variant="body2" component="div" className={classes.times}>
      <span>
        Requested <RelativeTime date={run.createdAt} />
      </span>
      {run.startedAt && (
        <span>
          Started <RelativeTime date={run.startedAt} />
        </span>
      )}
      {run.finishedAt && (
        <span>
          Finished <RelativeTime date={run.finishedAt} />
        </span>
      )}
    </Typography>
  );
}

const ERROR_TITLES: Partial<Record<EnvironmentRun['status'], string>> = {
  blocked: 'Blocked',
  rejected: 'Rejected',
  expired: 'Expired without approval',
  voided: 'Replaced by a newer plan',
};

function RunDetails({ run }: { run: EnvironmentRun }) {
  const classes = useStyles();
  return (
    <div className={classes.details}>
      <RunTimes run={run} />
      <Typography variant="body2">
        Requested by <RequesterText requester={run.requestedBy} />
        {run.reason && <> · Reason: {run.reason}</>}
      </Typography>
      {run.error && (
        <Alert
          status="danger"
          icon
          title={ERROR_TITLES[run.status] ?? 'The run failed'}
          description={run.error}
        />
      )}
      {run.plan && <PlanSummary plan={run.plan} />}
      {run.gate && <RunGateDetails gate={run.gate} />}
      <RunLog runId={run.id} title={`Log of the ${runKindTitle(run.kind)}`} />
    </div>
  );
}

/**
 * The environment's runs, newest first. The newest is open; a closed run's
 * log is not fetched.
 */
export function RunsList({
  runs,
  selected,
}: {
  runs: EnvironmentRun[];
  /** A run to open too (a notification's link names it). */
  selected?: string;
}) {
  const classes = useStyles();
  const [toggled, setToggled] = useState<Record<string, boolean>>({});

  return (
    <InfoCard title="Runs" noPadding={false}>
      {runs.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No runs yet.
        </Typography>
      )}
      {runs.map((run, index) => {
        const expanded =
          toggled[run.id] ?? (index === 0 || run.id === selected);
        return (
          <Accordion
            key={run.id}
            expanded={expanded}
            onChange={(_event, open) =>
              setToggled(t => ({ ...t, [run.id]: open }))
            }
            TransitionProps={{ unmountOnExit: true }}
          >
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <div className={classes.summary}>
                <Typography variant="body2" className={classes.kind}>
                  {runKindTitle(run.kind)}
                </Typography>
                <RunStatusLabel status={run.status} />
                <Typography variant="body2" color="textSecondary">
                  by {entityRefTitle(run.requestedBy)},{' '}
                  <RelativeTime date={run.createdAt} />
                </Typography>
                {run.plan && (
                  <Typography variant="body2" color="textSecondary">
                    +{run.plan.add} ~{run.plan.change} -{run.plan.remove}
                  </Typography>
                )}
              </div>
            </AccordionSummary>
            <AccordionDetails>
              <RunDetails run={run} />
            </AccordionDetails>
          </Accordion>
        );
      })}
    </InfoCard>
  );
}
