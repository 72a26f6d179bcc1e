import type {
  Incident,
  InsightsResponse,
  MetricsResponse,
} from '@internal/plugin-deployments-common';
import type { Deployment, DeploymentCommit } from '../service/DeploymentStore';

/** What the figures' routes take in the query. */
export interface FiguresQuery {
  days?: '7' | '30' | '90';
  environment?: string;
  timeZone?: string;
  to?: string;
}

/**
 * The typed routes of `openapi.ts`, in the form Backstage's OpenAPI tooling
 * generates: `#<method>|<path>` with the request and response each handler
 * sees.
 */
export type EndpointMap = {
  '#post|/report': {
    body: Record<string, unknown>;
    response: { duplicate?: boolean; deployment: Deployment };
  };
  '#post|/incidents': {
    query: { service?: string; environment?: string };
    body: Record<string, unknown>;
    response:
      | { duplicate?: boolean; incident: Incident }
      | { ignored: true; message: string };
  };
  '#get|/incidents': {
    query: { service: string };
    response: { items: Incident[] };
  };
  '#post|/incidents/{id}/resolve': {
    path: { id: string };
    body: { resolvedAt?: string };
    response: Incident;
  };
  '#get|/deployments': {
    query: { service: string; environment?: string; limit?: string };
    response: { items: Deployment[] };
  };
  '#get|/deployments/{id}': {
    path: { id: string };
    response: Deployment & { commits: DeploymentCommit[] };
  };
  '#post|/deployments/{id}/incidents': {
    path: { id: string };
    body: { title?: string; severity?: string; openedAt?: string };
    response: Incident;
  };
  '#get|/current': {
    query: { service: string };
    response: object;
  };
  '#get|/metrics': {
    query: FiguresQuery & { entity?: string; templateVersion?: string };
    response: MetricsResponse;
  };
  '#get|/insights': {
    query: FiguresQuery;
    response: InsightsResponse;
  };
};
