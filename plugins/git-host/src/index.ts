/**
 * Paved's embedded git host in the portal: the Repositories page and
 * personal git tokens.
 *
 * @packageDocumentation
 */
export { gitHostPlugin as default } from './plugin';
export { gitHostApiRef, GitHostClient } from './api';
export type { GitCommitSummary, GitHostApi, HostedRepository } from './api';
