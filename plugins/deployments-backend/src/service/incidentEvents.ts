import { InputError } from '@backstage/errors';
import { SEVERITIES, Severity } from './IncidentStore';

/** An incident event from CI, a script or PagerDuty, before it is checked against the catalog. */
export interface IncidentEvent {
  /** The sender's own id of the incident. */
  externalId: string;
  source: 'api' | 'pagerduty';
  /** The component, as sent (generic body or `?service=`). */
  service?: string;
  /** PagerDuty's service id, matched to `pagerduty.com/service-id`. */
  pagerDutyServiceId?: string;
  environment?: string;
  title?: string;
  severity: Severity;
  openedAt?: Date;
  resolvedAt?: Date;
  deploymentId?: string;
  commit?: string;
  url?: string;
}

const PAGERDUTY_EVENTS = ['incident.triggered', 'incident.resolved'];

export function parseTime(
  value: unknown,
  field: string,
  skewMs: number,
): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new InputError(
      `${field} must be an ISO 8601 time, e.g. 2026-12-02T10:00:00Z`,
    );
  }
  const date = new Date(value);
  if (date.getTime() > Date.now() + skewMs) {
    throw new InputError(
      `${field} ${value} is in the future (the portal's time is ${new Date().toISOString()})`,
    );
  }
  return date;
}

function optionalString(value: unknown, field: string, max: number) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !value || value.length > max) {
    throw new InputError(`${field} must be a string of 1 to ${max} characters`);
  }
  return value;
}

function severityOf(value: unknown): Severity {
  if (value === undefined || value === null) return 'medium';
  if (!SEVERITIES.includes(value as Severity)) {
    throw new InputError(`severity must be one of ${SEVERITIES.join(', ')}`);
  }
  return value as Severity;
}

/** PagerDuty's priorities P1..P5 and urgencies, as Paved's severities. */
function pagerDutySeverity(data: Record<string, any>): Severity {
  const priority = String(data.priority?.summary ?? '').toUpperCase();
  if (priority === 'P1') return 'critical';
  if (priority === 'P2') return 'high';
  if (priority === 'P3') return 'medium';
  if (priority === 'P4' || priority === 'P5') return 'low';
  return data.urgency === 'high' ? 'high' : 'low';
}

/**
 * Reads an incident event: PagerDuty's v3 webhook payload (`event` with
 * `event_type` incident.triggered or incident.resolved), or Paved's generic
 * body. Returns undefined for a PagerDuty event Paved does not use.
 */
export function parseIncidentEvent(
  body: Record<string, any>,
  query: { service?: string; environment?: string },
  skewMs: number,
): IncidentEvent | undefined {
  if (body.event && typeof body.event === 'object') {
    const event = body.event as Record<string, any>;
    if (typeof event.event_type !== 'string') {
      throw new InputError(
        'event.event_type is required (PagerDuty v3 webhook)',
      );
    }
    if (!PAGERDUTY_EVENTS.includes(event.event_type)) return undefined;
    const data = event.data;
    if (!data || typeof data !== 'object' || typeof data.id !== 'string') {
      throw new InputError('event.data.id is required (PagerDuty v3 webhook)');
    }
    const occurredAt = parseTime(
      event.occurred_at,
      'event.occurred_at',
      skewMs,
    );
    const createdAt = parseTime(
      data.created_at,
      'event.data.created_at',
      skewMs,
    );
    const resolved = event.event_type === 'incident.resolved';
    return {
      externalId: data.id,
      source: 'pagerduty',
      service: query.service,
      pagerDutyServiceId:
        typeof data.service?.id === 'string' ? data.service.id : undefined,
      environment: query.environment,
      title: optionalString(
        data.title ?? `PagerDuty incident ${data.number ?? data.id}`,
        'event.data.title',
        500,
      ),
      severity: pagerDutySeverity(data),
      openedAt: createdAt ?? (resolved ? undefined : occurredAt),
      resolvedAt: resolved ? occurredAt ?? new Date() : undefined,
      url: optionalString(data.html_url, 'event.data.html_url', 2000),
    };
  }
  const externalId = optionalString(body.id, 'id', 200);
  if (!externalId) {
    throw new InputError(
      "id is required: your incident tool's id of the incident, so a re-sent event is recorded once",
    );
  }
  const title = optionalString(body.title, 'title', 500);
  if (!title) throw new InputError('title is required');
  const openedAt = parseTime(body.openedAt, 'openedAt', skewMs);
  if (!openedAt) throw new InputError('openedAt is required');
  const commit = optionalString(body.commit, 'commit', 64);
  if (commit && !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) {
    throw new InputError(
      'commit must be a full commit SHA (40 hexadecimal digits)',
    );
  }
  const url = optionalString(body.url, 'url', 2000);
  if (url && !/^https?:\/\//.test(url)) {
    throw new InputError('url must be an http(s) URL');
  }
  return {
    externalId,
    source: 'api',
    service: optionalString(body.service, 'service', 300) ?? query.service,
    environment:
      optionalString(body.environment, 'environment', 40) ?? query.environment,
    title,
    severity: severityOf(body.severity),
    openedAt,
    resolvedAt: parseTime(body.resolvedAt, 'resolvedAt', skewMs),
    deploymentId: optionalString(body.deploymentId, 'deploymentId', 100),
    commit,
    url,
  };
}
