/**
 * Rules shared by Paved's git host, its frontend and the scaffolder actions.
 *
 * @packageDocumentation
 */
export {
  REPOSITORY_NAME_RULE,
  OWNER_SEGMENT_RULE,
  RESERVED_OWNER_SEGMENTS,
  assertRepositoryName,
  assertOwnerSegment,
  isOwnerSegment,
  ownerSegmentOf,
} from './repositoryName';
export { repositoryOfUrl, giteaFileUrl } from './urls';
export type { RepositoryPath } from './urls';
export * from './permissions';
