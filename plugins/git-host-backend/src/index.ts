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
  gitRepositoryRules,
} from './service/permissions';
