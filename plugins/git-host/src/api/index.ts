export { gitHostApiRef } from './GitHostApi';
export type {
  GitCommitSummary,
  GitHostApi,
  HostedRepository,
} from './GitHostApi';
export { GitHostClient } from './GitHostClient';
