export { environmentsApiRef } from './EnvironmentsApi';
export type {
  EnvironmentFilter,
  EnvironmentsApi,
  RequestedRunKind,
  RunEventsPage,
} from './EnvironmentsApi';
export { EnvironmentsClient } from './EnvironmentsClient';
