/**
 * Paved's checks on what the catalog accepts.
 *
 * @packageDocumentation
 */
export { catalogModulePaved as default } from './module';
export { GitHostOwnershipProcessor } from './GitHostOwnershipProcessor';
export { SafeLinksProcessor } from './SafeLinksProcessor';
export { listProcessingErrors } from './processingErrors';
export type { ProcessingError } from './processingErrors';
