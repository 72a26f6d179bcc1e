import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  Incident,
  InsightsResponse,
  MetricsResponse,
} from '@internal/plugin-deployments-common';

/** The windows the delivery figures are computed over, in days. */
export type DeliveryWindow = 7 | 30 | 90;

/** An incident a deployment caused, as its owner records it in the portal. */
export interface NewIncident {
  title: string;
  severity?: Incident['severity'];
  /** ISO 8601; the backend takes now when it is left out. */
  openedAt?: string;
}

/**
 * Talks to the deployments backend about delivery: the DORA figures of a
 * service, a team, a golden path or the whole organization, and the
 * incidents that count as change failures.
 */
export interface DeliveryApi {
  getMetrics(options: {
    /**
     * A component (service), group (team, with its child groups) or template
     * (golden path) ref; the whole organization when left out.
     */
    entity?: string;
    /** Only with a template ref: one version of the golden path. */
    templateVersion?: string;
    days: DeliveryWindow;
    /** The backend's default is production. */
    environment?: string;
  }): Promise<MetricsResponse>;
  /** Every team's and golden path's figures, and golden path adoption. */
  getInsights(options: {
    days: DeliveryWindow;
    environment?: string;
  }): Promise<InsightsResponse>;
  /** A service's incidents (entity ref, e.g. `component:default/shop`). */
  listIncidents(service: string): Promise<Incident[]>;
  /** Records that the deployment caused an incident; its owners only. */
  recordIncident(
    deploymentId: string,
    incident: NewIncident,
  ): Promise<Incident>;
  resolveIncident(
    id: string,
    options?: { /** ISO 8601; now when left out. */ resolvedAt?: string },
  ): Promise<Incident>;
}

// Like deploymentsApiRef: the deployments backend's views live in the git
// host's frontend plugin.
export const deliveryApiRef = createApiRef<DeliveryApi>().with({
  id: 'plugin.git-host.delivery',
  pluginId: 'git-host',
});
