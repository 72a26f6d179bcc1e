import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { markFactsStale } from '../metrics/FactStore';
import type { Incident } from '@internal/plugin-deployments-common';

export type Severity = Incident['severity'];
export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

/** An incident, checked, before it is stored. */
export interface NewIncident {
  /** Source and the source's own id: the same event twice is one incident. */
  dedupKey: string;
  service: string;
  environment: string;
  title: string;
  severity: Severity;
  openedAt: Date;
  resolvedAt?: Date;
  deploymentId?: string;
  commit?: string;
  source: Incident['source'];
  url?: string;
  createdBy: string;
}

const iso = (v: unknown) =>
  v === null || v === undefined
    ? undefined
    : new Date(v as string).toISOString();

function toIncident(row: any): Incident {
  return {
    id: row.id,
    service: row.service,
    environment: row.environment,
    title: row.title,
    severity: row.severity,
    status: row.resolved_at ? 'resolved' : 'open',
    openedAt: iso(row.opened_at)!,
    resolvedAt: iso(row.resolved_at),
    deploymentId: row.deployment_id ?? undefined,
    commit: row.commit_sha ?? undefined,
    source: row.source,
    url: row.url ?? undefined,
    createdBy: row.created_by,
  };
}

/** Incidents of services, once per source and id. */
export class IncidentStore {
  constructor(private readonly db: Knex) {}

  async get(id: string) {
    const row = await this.db('deployment_incidents').where({ id }).first();
    return row && toIncident(row);
  }

  async byKey(dedupKey: string) {
    const row = await this.db('deployment_incidents')
      .where({ dedup_key: dedupKey })
      .first();
    return row && toIncident(row);
  }

  /**
   * Records an incident once per dedup key. A second event for the same key
   * may only add what the first lacked (its resolution); anything else is a
   * duplicate and changes nothing.
   */
  async record(
    incident: NewIncident,
  ): Promise<{ incident: Incident; created: boolean; resolved: boolean }> {
    const existing = await this.byKey(incident.dedupKey);
    if (existing) {
      const resolved = await this.resolveIfOpen(existing, incident.resolvedAt);
      return {
        incident: resolved ?? existing,
        created: false,
        resolved: !!resolved,
      };
    }
    const id = randomUUID();
    const now = new Date();
    try {
      await this.db.transaction(async tx => {
        await tx('deployment_incidents').insert({
          id,
          dedup_key: incident.dedupKey,
          service: incident.service,
          environment: incident.environment,
          title: incident.title,
          severity: incident.severity,
          opened_at: incident.openedAt,
          resolved_at: incident.resolvedAt ?? null,
          deployment_id: incident.deploymentId ?? null,
          commit_sha: incident.commit ?? null,
          source: incident.source,
          url: incident.url ?? null,
          created_by: incident.createdBy,
          created_at: now,
          updated_at: now,
        });
        await this.markStale(tx, incident);
      });
    } catch (error) {
      // The same event, sent twice at once: the other one stored it.
      const raced = await this.byKey(incident.dedupKey);
      if (raced) return { incident: raced, created: false, resolved: false };
      throw error;
    }
    return { incident: (await this.get(id))!, created: true, resolved: false };
  }

  /** Sets the resolution of an open incident; undefined when nothing changed. */
  async resolveIfOpen(incident: Incident, resolvedAt: Date | undefined) {
    if (!resolvedAt || incident.resolvedAt) return undefined;
    const changed = await this.db.transaction(async tx => {
      const count = await tx('deployment_incidents')
        .where({ id: incident.id })
        .whereNull('resolved_at')
        .update({ resolved_at: resolvedAt, updated_at: new Date() });
      if (count) await this.markStale(tx, incident);
      return count;
    });
    return changed ? this.get(incident.id) : undefined;
  }

  /**
   * Marks the facts the incident changes out of date: from its deployment,
   * when it is tied to one, else from when it opened.
   */
  private async markStale(
    tx: Knex.Transaction,
    incident: {
      service: string;
      environment: string;
      openedAt: Date | string;
      deploymentId?: string;
    },
  ) {
    let since = new Date(incident.openedAt);
    if (incident.deploymentId) {
      const tied = await tx('deployments')
        .where({ id: incident.deploymentId })
        .first('finished_at');
      if (tied && new Date(tied.finished_at) < since) {
        since = new Date(tied.finished_at);
      }
    }
    await markFactsStale(tx, {
      service: incident.service,
      environment: incident.environment,
      since,
    });
  }

  async list(filter: { services: string[]; limit?: number }) {
    const rows = await this.db('deployment_incidents')
      .whereIn('service', filter.services)
      .orderBy('opened_at', 'desc')
      .limit(filter.limit ?? 200);
    return rows.map(toIncident);
  }

  /**
   * Incidents that matter to a window: opened before its end and not
   * resolved before `since`. Without services, those of every service.
   */
  async forWindow(options: {
    services?: string[];
    environment: string;
    since: Date;
    to: Date;
  }) {
    const query = this.db('deployment_incidents')
      .where({ environment: options.environment })
      .andWhere('opened_at', '<', options.to)
      .andWhere(q =>
        q.whereNull('resolved_at').orWhere('resolved_at', '>=', options.since),
      )
      .orderBy('opened_at');
    if (options.services) query.whereIn('service', options.services);
    return (await query).map(toIncident);
  }
}
