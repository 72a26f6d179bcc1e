import { FailureReasonKind, ReworkKind } from '../../api';

/** Why a deployment counts as a change failure, in a word or two. */
export const failureReasonLabels: Record<FailureReasonKind, string> = {
  failed: 'failed',
  rolled_back: 'rolled back',
  reverted: 'reverted',
  hotfixed: 'hotfixed',
  incident: 'incident',
  incident_inferred: 'incident (inferred)',
};

/** Why a deployment counts as rework. */
export const reworkLabels: Record<ReworkKind, string> = {
  rollback: 'rollback',
  revert: 'revert',
  hotfix: 'hotfix',
  restore: 'restore',
};
