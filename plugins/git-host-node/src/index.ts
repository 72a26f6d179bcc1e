/**
 * What other backend plugins use of Paved's git host.
 *
 * @packageDocumentation
 */
export { gitHostServiceRef } from './gitHostService';
export type {
  GitHostService,
  OpenChangeRequest,
  ChangeRequestSummary,
  DeployTokenInfo,
  RepositoryEntity,
  CommitInfo,
} from './gitHostService';
