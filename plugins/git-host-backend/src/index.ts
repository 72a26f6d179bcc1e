/**
 * Paved's embedded git host.
 *
 * @packageDocumentation
 */
export { gitHostPlugin as default } from './plugin';
export {
  gitRepositoryConditions,
  createGitRepositoryConditionalDecision,
  decideGitRepositoryPermission,
} from './service/permissions';
