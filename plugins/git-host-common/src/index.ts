/**
 * Rules shared by Paved's git host, its frontend and the scaffolder actions.
 *
 * @packageDocumentation
 */
export { REPOSITORY_NAME_RULE, assertRepositoryName } from './repositoryName';
export { repositoryOfUrl } from './urls';
