import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import { IncidentStore } from '../service/IncidentStore';
import { TtlCache } from '../service/TtlCache';
import { AnalyzedDeployment } from './analyze';
import { FactStore, LOOKBACK_DAYS } from './FactStore';
import { figuresOf, summaryOf, weeklyFigures, Window } from './aggregate';
import { Bands } from './bands';
import { median } from './time';
import type {
  DeploymentFact,
  Figure,
  Figures,
  Incident,
  InsightsResponse,
  MetricsResponse,
  MetricsScope,
} from '@internal/plugin-deployments-common';
import { push } from './collections';

const DAY_MS = 86_400_000;
export const WINDOW_DAYS = [7, 30, 90];
/** Deployments listed in a response; the figures count them all. */
const MAX_LISTED = 1000;
const TEMPLATE = 'backstage.io/source-template';
const TEMPLATE_VERSION = 'backstage.io/template-version';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

interface History {
  analyzed: AnalyzedDeployment[];
  incidents: Incident[];
}

/**
 * The delivery figures of services, teams, golden paths and the whole
 * organization, computed on request from the facts of the window's
 * deployments (see FactStore): one indexed read per request, whatever the
 * history around the window.
 */
export class MetricsService {
  private readonly catalogCache = new TtlCache<Entity[]>(
    30_000,
    10,
    5 * 60_000,
  );

  constructor(
    private readonly deps: {
      db: Knex;
      incidents: IncidentStore;
      facts: FactStore;
      catalog: CatalogService;
      auth: AuthService;
      bands: Bands;
    },
  ) {}

  window(options: { days: number; to?: Date; timeZone: string }): Window {
    if (!WINDOW_DAYS.includes(options.days)) {
      throw new InputError(`days must be one of ${WINDOW_DAYS.join(', ')}`);
    }
    const to = options.to ?? new Date();
    return {
      days: options.days,
      from: new Date(to.getTime() - options.days * DAY_MS),
      to,
      timeZone: options.timeZone,
    };
  }

  /** The figures of one scope. */
  async metrics(options: {
    entity?: string;
    templateVersion?: string;
    environment: string;
    window: Window;
  }): Promise<MetricsResponse> {
    const scope = await this.scope(options.entity, options.templateVersion);
    const { window, environment } = options;
    const history = await this.history(
      scope.kind === 'organization' ? undefined : scope.services,
      environment,
      window,
    );
    const figures = figuresOf(
      history.analyzed,
      window,
      environment,
      this.deps.bands,
      history.incidents.length > 0,
    );
    const inWindow = history.analyzed
      .filter(
        d =>
          Date.parse(d.finishedAt) >= window.from.getTime() &&
          Date.parse(d.finishedAt) < window.to.getTime(),
      )
      .sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt));
    const listed = inWindow.slice(0, MAX_LISTED);
    return {
      scope,
      environment,
      window: {
        days: window.days,
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        timeZone: window.timeZone,
      },
      bands: { source: this.deps.bands.source },
      figures: capIds(figures, new Set(listed.map(d => d.id))),
      weeks: weeklyFigures(history.analyzed, window),
      deployments: listed.map(toFact),
      incidents: history.incidents
        .filter(
          i =>
            i.status === 'open' ||
            Date.parse(i.openedAt) >= window.from.getTime(),
        )
        .reverse(),
    };
  }

  /** Teams and golden paths side by side, and golden-path adoption. */
  async insights(options: {
    environment: string;
    window: Window;
  }): Promise<InsightsResponse> {
    const { window, environment } = options;
    const [components, groups, templates] = await Promise.all([
      this.entitiesOf('component'),
      this.entitiesOf('group'),
      this.entitiesOf('template'),
    ]);
    const history = await this.history(undefined, environment, window);
    const byService = new Map<string, AnalyzedDeployment[]>();
    for (const d of history.analyzed) {
      push(byService, d.service, d);
    }
    const incidentServices = new Set(history.incidents.map(i => i.service));
    const summarize = (services: string[]) =>
      summaryOf(
        figuresOf(
          services.flatMap(s => byService.get(s) ?? []),
          window,
          environment,
          this.deps.bands,
          services.some(s => incidentServices.has(s)),
        ),
      );

    const owned = new Map<string, string[]>();
    for (const component of components) {
      const ref = lower(stringifyEntityRef(component));
      for (const owner of ownersOf(component)) {
        push(owned, owner, ref);
      }
    }
    const children = childGroups(groups);
    const teams = groups
      .map(group => {
        const ref = lower(stringifyEntityRef(group));
        const services = [
          ...new Set(
            descendants(ref, children).flatMap(g => owned.get(g) ?? []),
          ),
        ];
        return {
          entityRef: ref,
          title:
            group.metadata.title ??
            (group.spec?.profile as { displayName?: string } | undefined)
              ?.displayName,
          services: services.length,
          figures: summarize(services),
        };
      })
      .filter(team => team.services > 0)
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));

    const latest = new Map(
      templates.map(t => [
        lower(stringifyEntityRef(t)),
        t.metadata.annotations?.[TEMPLATE_VERSION],
      ]),
    );
    const paths = new Map<
      string,
      { template?: string; version?: string; services: string[] }
    >();
    for (const component of components) {
      const annotations = component.metadata.annotations ?? {};
      const template = annotations[TEMPLATE]
        ? lower(annotations[TEMPLATE])
        : undefined;
      const version = template ? annotations[TEMPLATE_VERSION] : undefined;
      const key = `${template ?? ''}@${version ?? ''}`;
      const entry = paths.get(key) ?? { template, version, services: [] };
      entry.services.push(lower(stringifyEntityRef(component)));
      paths.set(key, entry);
    }
    const firstDeploys = await this.deps
      .db('deployment_first_deploys')
      .where({ environment })
      .whereNotNull('seconds_from_creation')
      .select('service', 'seconds_from_creation');
    const secondsToFirst = new Map(
      firstDeploys.map(r => [
        lower(r.service),
        Number(r.seconds_from_creation),
      ]),
    );
    const goldenPaths = [...paths.values()]
      .map(path => {
        const seconds = path.services
          .map(s => secondsToFirst.get(s))
          .filter((s): s is number => s !== undefined);
        return {
          template: path.template,
          version: path.version,
          latestVersion: path.template ? latest.get(path.template) : undefined,
          services: path.services.sort(),
          timeToFirstDeployMedian: median(seconds),
          firstDeploys: seconds.length,
          figures: summarize(path.services),
        };
      })
      .sort(
        (a, b) =>
          Number(!a.template) - Number(!b.template) ||
          (a.template ?? '').localeCompare(b.template ?? '') ||
          (a.version ?? '').localeCompare(b.version ?? ''),
      );

    const fromGoldenPath = components.filter(
      c => c.metadata.annotations?.[TEMPLATE],
    );
    const perTemplate = new Map<
      string,
      { services: number; onLatest: number }
    >();
    for (const c of fromGoldenPath) {
      const template = lower(c.metadata.annotations![TEMPLATE]);
      const entry = perTemplate.get(template) ?? { services: 0, onLatest: 0 };
      entry.services += 1;
      const newest = latest.get(template);
      if (newest && c.metadata.annotations?.[TEMPLATE_VERSION] === newest) {
        entry.onLatest += 1;
      }
      perTemplate.set(template, entry);
    }
    return {
      environment,
      window: {
        days: window.days,
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        timeZone: window.timeZone,
      },
      bands: { source: this.deps.bands.source },
      teams,
      goldenPaths,
      adoption: {
        components: components.length,
        fromGoldenPath: fromGoldenPath.length,
        share: components.length
          ? fromGoldenPath.length / components.length
          : null,
        templates: [...perTemplate.entries()]
          .map(([template, entry]) => ({
            template,
            latestVersion: latest.get(template),
            services: entry.services,
            onLatest: entry.onLatest,
            share: latest.get(template)
              ? entry.onLatest / entry.services
              : null,
          }))
          .sort((a, b) => a.template.localeCompare(b.template)),
      },
    };
  }

  /**
   * The catalog's entities of a kind, with the fields the figures use,
   * remembered for a while: ownership and golden paths change rarely, and
   * a team's figures should not read the whole catalog each time. After 30
   * s a fresh copy loads in the background while requests still get the
   * old one (up to five minutes old), so no request waits for the catalog.
   */
  private entitiesOf(kind: 'component' | 'group' | 'template') {
    return this.catalogCache.get(kind, async () => {
      const { items } = await this.deps.catalog.getEntities(
        {
          filter: { kind },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'metadata.annotations',
            'spec.owner',
            'spec.children',
            'spec.profile.displayName',
            'relations',
          ],
        },
        { credentials: await this.deps.auth.getOwnServiceCredentials() },
      );
      return items;
    });
  }

  /** Which components an entity ref stands for. */
  async scope(
    entity?: string,
    templateVersion?: string,
  ): Promise<MetricsScope> {
    const refsOf = (entities: Entity[]) =>
      entities.map(e => lower(stringifyEntityRef(e))).sort();
    if (!entity) {
      if (templateVersion) {
        throw new InputError('templateVersion goes with a template entity');
      }
      return {
        kind: 'organization',
        services: refsOf(await this.entitiesOf('component')),
      };
    }
    let ref: string;
    try {
      ref = lower(
        stringifyEntityRef(
          parseEntityRef(entity, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        ),
      );
    } catch {
      throw new InputError(`entity '${entity}' is not an entity ref`);
    }
    const kind = parseEntityRef(ref).kind;
    if (!['component', 'group', 'template'].includes(kind)) {
      throw new InputError(
        `entity must be a component, a group or a template, not ${ref}`,
      );
    }
    if (templateVersion && kind !== 'template') {
      throw new InputError('templateVersion goes with a template entity');
    }
    const known = refsOf(
      await this.entitiesOf(kind as 'component' | 'group' | 'template'),
    );
    if (!known.includes(ref)) {
      // Perhaps new since the list was read.
      const found = await this.deps.catalog.getEntityByRef(ref, {
        credentials: await this.deps.auth.getOwnServiceCredentials(),
      });
      if (!found) throw new NotFoundError(`No ${ref} in the catalog`);
      this.catalogCache.forget(kind);
    }
    if (kind === 'component') {
      return { kind: 'service', entityRef: ref, services: [ref] };
    }
    const components = await this.entitiesOf('component');
    if (kind === 'group') {
      const teams = new Set(
        descendants(ref, childGroups(await this.entitiesOf('group'))),
      );
      return {
        kind: 'team',
        entityRef: ref,
        services: refsOf(
          components.filter(c => ownersOf(c).some(o => teams.has(o))),
        ),
      };
    }
    return {
      kind: 'template',
      entityRef: ref,
      templateVersion,
      services: refsOf(
        components.filter(c => {
          const annotations = c.metadata.annotations ?? {};
          return (
            annotations[TEMPLATE] &&
            lower(annotations[TEMPLATE]) === ref &&
            (!templateVersion ||
              annotations[TEMPLATE_VERSION] === templateVersion)
          );
        }),
      ),
    };
  }

  /**
   * The facts of a window's deployments, worked out first where a change
   * made them stale, and the incidents that matter to the window.
   */
  private async history(
    services: string[] | undefined,
    environment: string,
    window: Window,
  ): Promise<History> {
    if (services && services.length === 0)
      return { analyzed: [], incidents: [] };
    await this.deps.facts.refresh(environment, services);
    const [analyzed, incidents] = await Promise.all([
      this.deps.facts.read({
        environment,
        services,
        from: window.from,
        to: window.to,
      }),
      this.deps.incidents.forWindow({
        services,
        environment,
        since: new Date(window.from.getTime() - LOOKBACK_DAYS * DAY_MS),
        to: window.to,
      }),
    ]);
    return { analyzed, incidents };
  }
}

/**
 * The figures with only the deployment ids of the response's list (the
 * newest MAX_LISTED); the counts stay exact.
 */
function capIds(figures: Figures, listed: Set<string>): Figures {
  const capped = { ...figures };
  for (const key of Object.keys(capped) as Array<keyof Figures>) {
    const ids = capped[key].deploymentIds;
    if (ids.length > listed.size || ids.some(id => !listed.has(id))) {
      (capped[key] as Figure) = {
        ...capped[key],
        deploymentIds: ids.filter(id => listed.has(id)),
      };
    }
  }
  return capped;
}

function toFact(d: AnalyzedDeployment): DeploymentFact {
  const { leadTimes, recoverySeconds: _recovery, ...fact } = d;
  return {
    ...fact,
    leadTimeMedian: median(leadTimes) ?? undefined,
  };
}

/**
 * An entity's owners, lowercase: its ownedBy relations, or its spec.owner
 * as the catalog would resolve it (a group by default).
 */
export function ownersOf(entity: Entity) {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => lower(r.targetRef));
  if (related.length || typeof entity.spec?.owner !== 'string') return related;
  try {
    return [
      lower(
        stringifyEntityRef(
          parseEntityRef(entity.spec.owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        ),
      ),
    ];
  } catch {
    return [];
  }
}

/** Each group's direct children, by lowercase ref: parentOf relations or spec.children. */
function childGroups(groups: Entity[]) {
  const children = new Map<string, string[]>();
  for (const group of groups) {
    const ref = lower(stringifyEntityRef(group));
    const related = (group.relations ?? [])
      .filter(r => r.type === RELATION_PARENT_OF)
      .map(r => lower(r.targetRef));
    const declared = Array.isArray(group.spec?.children)
      ? (group.spec!.children as string[]).map(c =>
          lower(
            stringifyEntityRef(
              parseEntityRef(c, {
                defaultKind: 'group',
                defaultNamespace: group.metadata.namespace ?? 'default',
              }),
            ),
          ),
        )
      : [];
    children.set(ref, [...new Set([...related, ...declared])]);
  }
  return children;
}

/** A group and every group below it. */
function descendants(ref: string, children: Map<string, string[]>) {
  const seen = new Set<string>([ref]);
  const queue = [ref];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return [...seen];
}
