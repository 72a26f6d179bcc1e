import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  EnvironmentDrift,
  EnvironmentStatus,
  RunStatus,
} from '@internal/plugin-environments-common';

const environmentStatusIcons: Record<EnvironmentStatus, typeof StatusOK> = {
  pending: StatusPending,
  queued: StatusPending,
  provisioning: StatusRunning,
  ready: StatusOK,
  degraded: StatusError,
  failed: StatusError,
  interrupted: StatusWarning,
  'destroy-interrupted': StatusWarning,
  'awaiting-approval': StatusPending,
  blocked: StatusError,
  rejected: StatusAborted,
  destroying: StatusRunning,
  destroyed: StatusAborted,
};

/** An environment's status with a coloured dot. */
export function EnvironmentStatusLabel({
  status,
}: {
  status: EnvironmentStatus;
}) {
  const Icon = environmentStatusIcons[status] ?? StatusPending;
  return <Icon>{status}</Icon>;
}

const runStatusIcons: Record<RunStatus, typeof StatusOK> = {
  queued: StatusPending,
  running: StatusRunning,
  succeeded: StatusOK,
  failed: StatusError,
  interrupted: StatusWarning,
  'awaiting-approval': StatusPending,
  blocked: StatusError,
  rejected: StatusAborted,
  expired: StatusAborted,
  voided: StatusAborted,
};

/** A run's status with a coloured dot. */
export function RunStatusLabel({ status }: { status: RunStatus }) {
  const Icon = runStatusIcons[status] ?? StatusPending;
  return <Icon>{status}</Icon>;
}

/** The result of the last drift check. */
export function DriftLabel({ drift }: { drift: EnvironmentDrift }) {
  if (drift === 'in-sync') {
    return <StatusOK>in sync</StatusOK>;
  }
  if (drift === 'drifted') {
    return <StatusWarning>drifted</StatusWarning>;
  }
  return <>not checked</>;
}
