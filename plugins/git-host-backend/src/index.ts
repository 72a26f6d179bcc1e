/**
 * Paved's embedded git host.
 *
 * @packageDocumentation
 */
export { gitHostPlugin as default } from './plugin';
export {
  gitHostUrlReaderFactory,
  hostedFileUrl,
  parseHostedUrl,
} from './urlReader';
export type { HostedLocation } from './urlReader';
