import { AuthService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CreateEnvironmentRequest,
  Environment,
  ENVIRONMENT_SIZES,
  EnvironmentOptions,
  EnvironmentRun,
  RunEvent,
  RunKind,
} from '@internal/plugin-environments-common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EnvironmentsConfig } from '../config';
import {
  EnvironmentFilter,
  EnvironmentStore,
} from '../database/EnvironmentStore';
import { EnvironmentRow, RunRow } from '../database/tables';
import { ModuleRegistry } from '../modules/ModuleRegistry';
import { GateStore } from '../database/GateStore';
import { Guardrails } from '../guardrails/Guardrails';
import { SecretBox } from './SecretBox';
import { toEnvironment, toRun } from './mapping';
import {
  checkTtl,
  validateRequest,
  ValidEnvironmentRequest,
} from './validation';

export type { ValidEnvironmentRequest };

/** Who the expiry sweep acts as, in runs and audit events. */
export const TTL_SWEEPER = 'system:ttl-sweeper';

const HOUR_MS = 3_600_000;

/** Who asked: a user entity ref, or `system:<job>` for the scheduler. */
export type Actor = string;

/**
 * The one place environments change: the HTTP API, the scaffolder (through
 * the API) and the lifecycle jobs all come here, and runs only ever start by
 * being queued here.
 */
export class EnvironmentService {
  constructor(
    private readonly deps: {
      store: EnvironmentStore;
      config: EnvironmentsConfig;
      secrets: SecretBox;
      catalog: CatalogService;
      auth: AuthService;
      stateType: 'pg' | 'local';
      /** The approved modules, from their manifests. */
      modules: ModuleRegistry;
      gates: GateStore;
      guardrails: Guardrails;
      /** Called after anything that the catalog or a waiting runner should see. */
      onChange?: (environmentId: string) => void;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  options(): EnvironmentOptions {
    return {
      resources: this.deps.modules.list().map(({ name, folder, manifest }) => ({
        id: name,
        title: manifest.metadata.title,
        description: manifest.metadata.description,
        module: folder,
        version: manifest.metadata.version,
        owner: manifest.metadata.owner,
        resourceType: manifest.spec.resourceType,
        inputs: Object.entries(manifest.spec.inputs).flatMap(
          ([field, input]) => {
            if (input.from !== 'form') return [];
            const { from: _from, ...question } = input;
            return [{ name: field, ...question }];
          },
        ),
      })),
      problems: this.deps.modules.problems(),
      sizes: [...ENVIRONMENT_SIZES],
      defaultTtlHours: this.deps.config.defaultTtlHours,
      maxTtlHours: this.deps.config.maxTtlHours,
      prices: this.deps.guardrails.config.prices,
    };
  }

  /** Checks a request and says exactly what is wrong; nothing is run. */
  validate(input: Partial<CreateEnvironmentRequest>): ValidEnvironmentRequest {
    return validateRequest(input, this.deps.config, this.deps.modules);
  }

  /**
   * The service must be in the catalog, and the environment belongs to its
   * owner: nobody can ask for an environment of someone else's service in
   * their own name (the modules name resources by service and environment).
   */
  async resolveOwner(request: ValidEnvironmentRequest) {
    const owner = await this.ownerOf(request.service);
    if (request.owner && request.owner !== owner) {
      throw new InputError(
        `owner ${request.owner}: an environment belongs to its service's owner, ${owner}`,
      );
    }
    return { ...request, owner };
  }

  /** The owning group of a service in the catalog, or a 400 that says why not. */
  async ownerOf(serviceRef: string) {
    const entity = await this.deps.catalog.getEntityByRef(serviceRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new InputError(
        `${serviceRef} is not in the catalog; register the service first (a golden path does) and try again`,
      );
    }
    const specOwner = entity.spec?.owner;
    if (typeof specOwner !== 'string' || !specOwner) {
      throw new InputError(
        `${serviceRef} has no owner in the catalog; give it spec.owner first`,
      );
    }
    return stringifyEntityRef(
      parseEntityRef(specOwner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  }

  /** Records a new environment and queues its first apply. */
  async create(
    request: ValidEnvironmentRequest & { owner: string },
    actor: Actor,
  ) {
    const { store } = this.deps;
    const live = await store.findLiveEnvironment(request.service, request.name);
    if (live) {
      const made = await this.madeBy(request, live);
      if (made) return made;
      throw new ConflictError(
        `${request.service} already has an environment named "${request.name}"; pick another name or destroy that one first`,
      );
    }
    const now = this.now();
    const id = randomUUID();
    const passwords = Object.fromEntries(
      request.resources.map(r => [r, randomBytes(24).toString('base64url')]),
    );
    const env: EnvironmentRow = {
      id,
      name: request.name,
      service: request.service,
      owner: request.owner,
      size: request.size,
      resources: JSON.stringify(request.resources),
      status: 'pending',
      drift: 'unknown',
      drift_checked_at: null,
      created_by: actor,
      created_at: now.toISOString(),
      expires_at: new Date(
        now.getTime() + request.ttlHours * HOUR_MS,
      ).toISOString(),
      destroyed_at: null,
      destroyed_by: null,
      state_key:
        this.deps.stateType === 'pg'
          ? `paved_env_${id.replace(/-/g, '')}`
          : `${id}.tfstate`,
      active_run_id: null,
      last_run_id: null,
      outputs: '{}',
      sensitive_outputs: null,
      secret_inputs: this.deps.secrets.seal(passwords),
      module_inputs: JSON.stringify(request.inputs),
      request_id: request.requestId ?? null,
    };
    const run = this.newRun(id, 'apply', actor, 'created');
    try {
      await store.createEnvironment(env, run);
    } catch (error) {
      // The unique index caught a concurrent request for the same name.
      const raced = await store.findLiveEnvironment(
        request.service,
        request.name,
      );
      if (raced) {
        const made = await this.madeBy(request, raced);
        if (made) return made;
        throw new ConflictError(
          `${request.service} already has an environment named "${request.name}"`,
        );
      }
      throw error;
    }
    this.deps.onChange?.(id);
    return {
      environment: await this.get(id),
      run: toRun(run),
      created: true,
    };
  }

  /**
   * The live environment of the name, when an earlier request with the
   * same key made it, with its first run: asked again, the answer is the
   * same, not a conflict.
   */
  private async madeBy(request: ValidEnvironmentRequest, env: EnvironmentRow) {
    if (!request.requestId || env.request_id !== request.requestId) {
      return undefined;
    }
    const runs = await this.deps.store.listRuns(env.id);
    const first = runs[runs.length - 1];
    return {
      environment: await this.get(env.id),
      run: toRun(first),
      created: false,
    };
  }

  /**
   * Queues a run. A second apply or destroy while one is waiting or running
   * is refused. An environment whose destroy was interrupted may have lost
   * part of what its state lists: only the destroy may go on, unless the
   * platform team overrides (the credential check then tells what works).
   */
  async requestRun(
    id: string,
    kind: RunKind,
    actor: Actor,
    reason?: string,
    options: { override?: boolean } = {},
  ) {
    const env = await this.getRow(id);
    if (env.status === 'destroyed') {
      throw new ConflictError(
        `Environment ${env.name} of ${env.service} is destroyed; ask for a new one instead`,
      );
    }
    if (
      env.status === 'destroy-interrupted' &&
      (kind === 'apply' || kind === 'plan') &&
      !options.override
    ) {
      throw new ConflictError(
        `The destroy of ${env.service} / ${env.name} was interrupted, so part of it may already be gone: resume the destroy. Only the platform team may apply it again instead.`,
      );
    }
    if (await this.deps.store.hasActiveRun(id, kind)) {
      throw new ConflictError(
        `A ${kind} of ${env.service} / ${env.name} is already queued or running; wait for it to finish`,
      );
    }
    const run = this.newRun(id, kind, actor, reason);
    // A new plan replaces one that waits for approval: approving the old
    // one no longer counts. A drift check plans too, but changes nothing.
    const voided =
      kind === 'drift'
        ? []
        : await this.deps.gates.voidWaiting(
            id,
            `replaced by a new ${kind} (run ${run.id}) asked for by ${actor}`,
            this.now().toISOString(),
          );
    await this.deps.store.insertRun(run);
    this.deps.onChange?.(id);
    return Object.assign(toRun(run), { voided: voided.map(v => v.id) });
  }

  async extend(id: string, ttlHours: unknown) {
    const env = await this.getRow(id);
    if (
      ['destroyed', 'destroying', 'destroy-interrupted'].includes(env.status)
    ) {
      throw new ConflictError(
        `Environment ${env.name} is ${env.status}; it cannot be extended`,
      );
    }
    const problems: string[] = [];
    checkTtl(ttlHours, this.deps.config.maxTtlHours, problems);
    if (problems.length) throw new InputError(problems.join('; '));
    const expiresAt = new Date(
      this.now().getTime() + (ttlHours as number) * HOUR_MS,
    );
    // The sweeper may have queued a destroy already: the owner's word wins.
    await this.deps.store.cancelQueuedRuns(
      id,
      'destroy',
      TTL_SWEEPER,
      'Cancelled: the owner extended the environment before the expiry destroy ran',
      this.now().toISOString(),
    );
    await this.deps.store.updateEnvironment(id, {
      expires_at: expiresAt.toISOString(),
    });
    this.deps.onChange?.(id);
    return this.get(id);
  }

  async revealSecrets(id: string): Promise<Record<string, string>> {
    const env = await this.getRow(id);
    return env.sensitive_outputs
      ? this.deps.secrets.open(env.sensitive_outputs)
      : {};
  }

  /** Queues a destroy for every expired environment. */
  async sweepExpired(actor: Actor) {
    const expired = await this.deps.store.findExpired(
      this.now().toISOString(),
      actor,
      // A failed expiry destroy is retried after an hour, not every minute.
      new Date(this.now().getTime() - HOUR_MS).toISOString(),
    );
    const queued: Array<{ environment: EnvironmentRow; run: EnvironmentRun }> =
      [];
    for (const env of expired) {
      try {
        const run = await this.requestRun(
          env.id,
          'destroy',
          actor,
          `expired at ${env.expires_at}`,
        );
        queued.push({ environment: env, run });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return queued;
  }

  /** Queues a drift check for every ready environment that is idle. */
  async checkDrift(actor: Actor) {
    const candidates = await this.deps.store.findDriftCandidates();
    for (const env of candidates) {
      await this.requestRun(env.id, 'drift', actor, 'scheduled drift check');
    }
    return candidates.length;
  }

  async getRow(id: string) {
    const env = await this.deps.store.getEnvironment(id);
    if (!env) throw new NotFoundError(`No environment with id ${id}`);
    return env;
  }

  async get(id: string): Promise<Environment> {
    const [environment] = await this.describe([await this.getRow(id)]);
    return environment;
  }

  /** Stored rows, not destroyed unless asked. */
  async rows(filter: EnvironmentFilter) {
    return this.deps.store.listEnvironments(filter);
  }

  async list(filter: EnvironmentFilter): Promise<Environment[]> {
    return this.describe(await this.deps.store.listEnvironments(filter));
  }

  /** Environments with their last run, and whether a change waits for its turn. */
  private async describe(rows: EnvironmentRow[]) {
    const { store } = this.deps;
    const [runs, queued] = await Promise.all([
      store.getRuns(
        rows.map(r => r.last_run_id).filter((x): x is string => Boolean(x)),
      ),
      store.queuedChanges(rows.map(r => r.id)),
    ]);
    const byId = new Map(runs.map(r => [r.id, r]));
    const waiting = new Set(queued.map(r => r.environment_id));
    const { guardrails } = this.deps;
    return rows.map(r =>
      toEnvironment(r, {
        lastRun: r.last_run_id ? byId.get(r.last_run_id) : undefined,
        changeQueued: waiting.has(r.id),
        modules: this.deps.modules,
        monthlyCost: guardrails.monthly(r),
        protected: Boolean(guardrails.protection(r)),
      }),
    );
  }

  async runs(id: string) {
    await this.getRow(id);
    const runs = await this.deps.store.listRuns(id);
    const decisions = await this.deps.gates.listDecisions(
      runs.filter(r => r.gate).map(r => r.id),
    );
    return runs.map(r => toRun(r, decisions));
  }

  async run(runId: string) {
    const run = await this.deps.store.getRun(runId);
    if (!run) throw new NotFoundError(`No run with id ${runId}`);
    return toRun(run, await this.deps.gates.listDecisions([run.id]));
  }

  async events(
    runId: string,
    after: number,
  ): Promise<{ items: RunEvent[]; finished: boolean }> {
    const run = await this.run(runId);
    const finished = run.status !== 'queued' && run.status !== 'running';
    const items = (await this.deps.store.listEvents(runId, after)).map(e => ({
      seq: Number(e.seq),
      at: e.at,
      level: e.level as RunEvent['level'],
      message: e.message,
    }));
    return { items, finished };
  }

  private newRun(
    environmentId: string,
    kind: RunKind,
    actor: Actor,
    reason?: string,
  ): RunRow {
    return {
      id: randomUUID(),
      environment_id: environmentId,
      kind,
      status: 'queued',
      requested_by: actor,
      reason: reason ?? null,
      created_at: this.now().toISOString(),
      started_at: null,
      finished_at: null,
      heartbeat_at: null,
      claimed_by: null,
      plan: null,
      error: null,
    };
  }
}
