/**
 * Paved's environments in the portal: the Environments page, each
 * environment's runs, outputs and lifecycle, and a service's Environments tab.
 *
 * @packageDocumentation
 */
export { environmentsPlugin as default } from './plugin';
export { environmentsApiRef, EnvironmentsClient } from './api';
export type {
  EnvironmentFilter,
  EnvironmentsApi,
  RequestedRunKind,
  RunEventsPage,
} from './api';
