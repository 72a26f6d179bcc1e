import { Table, TableColumn } from '@backstage/core-components';
import {
  CostChange,
  PolicyResult,
  RunGate,
} from '@internal/plugin-environments-common';
import { Chip, makeStyles, Typography } from '@material-ui/core';
import { Alert } from '@backstage/ui';
import { EntityRefText, RelativeTime } from '../common';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(1) },
  up: { color: theme.palette.error.main, fontWeight: 600 },
  down: { color: theme.palette.success.main, fontWeight: 600 },
  hash: { fontFamily: 'monospace' },
}));

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;

/** The change in monthly cost a plan makes, and the team's total. */
export function CostChangeText({ cost }: { cost: CostChange }) {
  const classes = useStyles();
  const sign = cost.delta > 0 ? '+' : '';
  return (
    <Typography variant="body2" data-testid="cost-change">
      Monthly cost: {money(cost.before, cost.currency)} →{' '}
      {money(cost.after, cost.currency)} (
      <span className={cost.delta > 0 ? classes.up : classes.down}>
        {sign}
        {money(cost.delta, cost.currency)} a month
      </span>
      ). The team's environments come to{' '}
      {money(cost.teamMonthly, cost.currency)} a month
      {cost.budget !== undefined && (
        <>
          {' '}
          of its budget of {money(cost.budget, cost.currency)}
          {cost.teamMonthly > cost.budget && <strong> (over budget)</strong>}
        </>
      )}
      .
    </Typography>
  );
}

const LEVEL_COLOURS: Record<string, 'default' | 'primary' | 'secondary'> = {
  advisory: 'default',
  soft: 'primary',
  hard: 'secondary',
};

const columns: TableColumn<PolicyResult>[] = [
  {
    title: 'Rule',
    field: 'rule',
    render: r => <span className="policy-rule">{r.rule}</span>,
  },
  {
    title: 'Level',
    field: 'level',
    render: r => (
      <Chip size="small" label={r.level} color={LEVEL_COLOURS[r.level]} />
    ),
  },
  {
    title: 'Result',
    field: 'passed',
    render: r => (r.passed ? 'passed' : <strong>broken</strong>),
  },
  { title: 'Explanation', field: 'explanation' },
];

/** Each policy rule's result on the plan, broken ones first. */
export function PolicyResults({ gate }: { gate: RunGate }) {
  if (gate.policyError) {
    return (
      <Alert
        status="danger"
        icon
        title="The policies could not be checked"
        description={gate.policyError}
      />
    );
  }
  if (gate.policy.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No policy rules are configured.
      </Typography>
    );
  }
  const sorted = [...gate.policy].sort(
    (a, b) => Number(a.passed) - Number(b.passed),
  );
  const broken = gate.policy.filter(p => !p.passed).length;
  return (
    <Table<PolicyResult>
      title={`Policies: ${gate.policy.length - broken} of ${
        gate.policy.length
      } passed`}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={sorted}
    />
  );
}

/** Who must approve, who did, and until when the plan waits. */
export function ApprovalsText({ gate }: { gate: RunGate }) {
  const classes = useStyles();
  const approvals = gate.approvals.filter(a => a.decision === 'approve');
  return (
    <div className={classes.section}>
      {gate.approvalsRequired > 0 && (
        <Typography variant="body2">
          Needs {gate.approvalsRequired} approval(s), by someone other than the
          requester, from{' '}
          {gate.approverGroups.map((g, i) => (
            <span key={g}>
              {i > 0 && ' or '}
              <EntityRefText entityRef={g} />
            </span>
          ))}
          . Approved so far: {approvals.length}
          {approvals.length > 0 && (
            <>
              {' '}
              (
              {approvals.map((a, i) => (
                <span key={a.by}>
                  {i > 0 && ', '}
                  <EntityRefText entityRef={a.by} />
                  {a.comment && `: “${a.comment}”`}
                </span>
              ))}
              )
            </>
          )}
          .
        </Typography>
      )}
      {gate.overrideRequired && (
        <Typography variant="body2">
          {gate.override ? (
            <>
              Soft rules overridden by{' '}
              <EntityRefText entityRef={gate.override.by} />:{' '}
              {gate.override.reason}
            </>
          ) : (
            'A broken soft rule waits for an override by the platform team, with a reason.'
          )}
        </Typography>
      )}
      {gate.planHash && (
        <Typography variant="body2" color="textSecondary">
          Plan{' '}
          <span className={classes.hash}>{gate.planHash.slice(0, 12)}</span>
          {gate.expiresAt && (
            <>
              {' '}
              · waits until <RelativeTime date={gate.expiresAt} />
            </>
          )}
        </Typography>
      )}
    </div>
  );
}

/** Everything the guardrails said of a run's plan. */
export function RunGateDetails({ gate }: { gate: RunGate }) {
  return (
    <div>
      {gate.cost && <CostChangeText cost={gate.cost} />}
      <ApprovalsText gate={gate} />
      <PolicyResults gate={gate} />
    </div>
  );
}
