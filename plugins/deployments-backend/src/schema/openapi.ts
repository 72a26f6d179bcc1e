/**
 * The deployments plugin's API, served at /api/deployments/openapi.json and
 * used to check requests. The types handlers see are in `endpoints.ts`.
 */

const entityRef = {
  type: 'string',
  description: 'Entity ref, e.g. component:default/orders',
} as const;
const id = { type: 'string' } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

const figure = {
  type: 'object',
  description:
    'One delivery figure with what it was computed from: value is null when it cannot be computed, and reason says why',
  required: [
    'value',
    'unit',
    'numerator',
    'denominator',
    'notes',
    'deploymentIds',
  ],
  properties: {
    value: nullableNumber,
    unit: { type: 'string', enum: ['per_week', 'seconds', 'ratio'] },
    numerator: {
      type: 'object',
      properties: { value: { type: 'number' }, label: { type: 'string' } },
    },
    denominator: {
      type: 'object',
      properties: { value: { type: 'number' }, label: { type: 'string' } },
    },
    band: { type: 'string', enum: ['elite', 'high', 'medium', 'low'] },
    reason: { type: 'string' },
    notes: { type: 'array', items: { type: 'string' } },
    deploymentIds: { type: 'array', items: id },
  },
} as const;

const incident = {
  type: 'object',
  properties: {
    id,
    service: entityRef,
    environment: { type: 'string' },
    title: { type: 'string' },
    severity: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] },
    status: { type: 'string', enum: ['open', 'resolved'] },
    openedAt: isoTime,
    resolvedAt: isoTime,
    deploymentId: id,
    commit: { type: 'string' },
    source: { type: 'string', enum: ['api', 'pagerduty', 'portal'] },
    url: { type: 'string' },
    createdBy: { type: 'string' },
  },
} as const;

const figuresQuery = [
  {
    name: 'days',
    in: 'query',
    allowReserved: true,
    description: 'The window: the last 7, 30 or 90 days (default 30)',
    schema: { type: 'string', enum: ['7', '30', '90'] },
  },
  {
    name: 'environment',
    in: 'query',
    allowReserved: true,
    description:
      'The environment (default paved.delivery.environment, production)',
    schema: { type: 'string' },
  },
  {
    name: 'timeZone',
    in: 'query',
    allowReserved: true,
    description:
      'IANA time zone of deploy days and weeks (default paved.delivery.timeZone, UTC)',
    schema: { type: 'string' },
  },
  {
    name: 'to',
    in: 'query',
    allowReserved: true,
    description:
      'The end of the window (default now), for reproducible reports. What happened after it to the deployments in the window (a later rollback, revert or incident) still counts',
    schema: { type: 'string' },
  },
] as const;

const error = {
  description:
    "Backstage's error body: { error: { name, message } }, the message saying what to change",
  content: { 'application/json': { schema: { type: 'object' } } },
} as const;
const json = (description: string, schema: object = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const serviceQuery = {
  name: 'service',
  in: 'query',
  allowReserved: true,
  required: true,
  description: 'The component, by name or entity ref',
  schema: { type: 'string' },
} as const;

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'deployments',
    version: '1',
    description:
      "Paved's deployments, incidents and DORA delivery figures. CI and PagerDuty authenticate with a deploy token of the service's repository (Authorization: Bearer); everything else with a Backstage token.",
  },
  servers: [{ url: '/' }],
  components: {
    schemas: { Figure: figure, Incident: incident },
  },
  paths: {
    '/report': {
      post: {
        operationId: 'ReportDeployment',
        description:
          'A deployment report from CI: service, environment, commit (full SHA), outcome (success, failure, rolled_back), version, startedAt, finishedAt, pipelineUrl, idempotencyKey. Recorded once per idempotency key.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        responses: {
          '200': json('A re-sent report: the deployment recorded first'),
          '201': json('Recorded'),
          '400': error,
          '401': error,
          '403': error,
          '404': error,
          '413': error,
        },
      },
    },
    '/incidents': {
      post: {
        operationId: 'ReportIncident',
        description:
          "An incident from CI or a script ({ id, service, environment, title, severity, openedAt, resolvedAt, deploymentId, commit, url }) or PagerDuty's v3 webhook payload (incident.triggered, incident.resolved; the component found by its pagerduty.com/service-id annotation or ?service=). Recorded once per source and id; a resolution sent later resolves it.",
        parameters: [
          {
            name: 'service',
            in: 'query',
            allowReserved: true,
            description: 'The component, for PagerDuty webhooks',
            schema: { type: 'string' },
          },
          {
            name: 'environment',
            in: 'query',
            allowReserved: true,
            description: 'The environment (default production)',
            schema: { type: 'string' },
          },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        responses: {
          '200': json('Already recorded (duplicate), or now resolved'),
          '201': json('Recorded'),
          '202': json('A PagerDuty event Paved does not use'),
          '400': error,
          '401': error,
          '403': error,
          '404': error,
          '413': error,
        },
      },
      get: {
        operationId: 'ListIncidents',
        parameters: [serviceQuery],
        responses: {
          '200': json('The service’s incidents, newest first', {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: { $ref: '#/components/schemas/Incident' },
              },
            },
          }),
        },
      },
    },
    '/incidents/{id}/resolve': {
      post: {
        operationId: 'ResolveIncident',
        description: "Resolves an open incident (the service's owners only)",
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string' },
          },
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { resolvedAt: isoTime },
              },
            },
          },
        },
        responses: {
          '200': json('Resolved', { $ref: '#/components/schemas/Incident' }),
          '403': error,
          '404': error,
          '409': error,
        },
      },
    },
    '/deployments': {
      get: {
        operationId: 'ListDeployments',
        parameters: [
          serviceQuery,
          {
            name: 'environment',
            in: 'query',
            allowReserved: true,
            schema: { type: 'string' },
          },
          {
            name: 'limit',
            in: 'query',
            allowReserved: true,
            schema: { type: 'string' },
          },
        ],
        responses: { '200': json('Deployments, newest first') },
      },
    },
    '/deployments/{id}': {
      get: {
        operationId: 'GetDeployment',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': json('The deployment with the commits it brought'),
          '404': error,
        },
      },
    },
    '/deployments/{id}/incidents': {
      post: {
        operationId: 'MarkDeploymentIncident',
        description:
          '"This deployment caused an incident", from the portal (the service’s owners only)',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string' },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  title: { type: 'string' },
                  severity: { type: 'string' },
                  openedAt: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '201': json('Recorded', { $ref: '#/components/schemas/Incident' }),
          '400': error,
          '403': error,
          '404': error,
        },
      },
    },
    '/current': {
      get: {
        operationId: 'GetCurrentDeployments',
        parameters: [serviceQuery],
        responses: {
          '200': json(
            'Per environment, the current and the latest deployment; time to first deploy',
          ),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'GetMetrics',
        description:
          'The five DORA figures (deploymentFrequency, leadTime, changeFailureRate, recoveryTime, reworkRate), each with numerator, denominator, band and the deployments behind it; per ISO week; the deployments and incidents of the window.',
        parameters: [
          {
            name: 'entity',
            in: 'query',
            allowReserved: true,
            description:
              'A component (service), a group (team, with its child groups), a template (golden path) or none (the organization)',
            schema: { type: 'string' },
          },
          {
            name: 'templateVersion',
            in: 'query',
            allowReserved: true,
            description:
              'With a template: only services made from this version',
            schema: { type: 'string' },
          },
          ...figuresQuery,
        ],
        responses: {
          '200': json('The figures', {
            type: 'object',
            required: ['scope', 'environment', 'window', 'figures', 'weeks'],
            properties: {
              scope: { type: 'object' },
              environment: { type: 'string' },
              window: { type: 'object' },
              bands: { type: 'object' },
              figures: {
                type: 'object',
                properties: {
                  deploymentFrequency: { $ref: '#/components/schemas/Figure' },
                  leadTime: { $ref: '#/components/schemas/Figure' },
                  changeFailureRate: { $ref: '#/components/schemas/Figure' },
                  recoveryTime: { $ref: '#/components/schemas/Figure' },
                  reworkRate: { $ref: '#/components/schemas/Figure' },
                },
              },
              weeks: { type: 'array', items: { type: 'object' } },
              deployments: { type: 'array', items: { type: 'object' } },
              incidents: {
                type: 'array',
                items: { $ref: '#/components/schemas/Incident' },
              },
            },
          }),
          '400': error,
          '404': error,
        },
      },
    },
    '/insights': {
      get: {
        operationId: 'GetInsights',
        description:
          'Teams and golden paths (template and version, time to first production deployment) side by side, and golden-path adoption',
        parameters: [...figuresQuery],
        responses: { '200': json('Insights'), '400': error },
      },
    },
  },
} as const;
