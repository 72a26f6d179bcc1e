/**
 * Paved's embedded git host.
 *
 * @packageDocumentation
 */
export { gitHostPlugin as default } from './plugin';
export { REPOSITORY_NAME_RULE } from './service/repositoryName';
export {
  gitHostUrlReaderFactory,
  hostedFileUrl,
  parseHostedUrl,
} from './urlReader';
export type { HostedLocation } from './urlReader';
