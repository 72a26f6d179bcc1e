export { environmentsApiRef } from './EnvironmentsApi';
export type {
  AuditFilter,
  EnvironmentFilter,
  EnvironmentsApi,
  RequestedRunKind,
  RunEventsPage,
} from './EnvironmentsApi';
export { EnvironmentsClient } from './EnvironmentsClient';
