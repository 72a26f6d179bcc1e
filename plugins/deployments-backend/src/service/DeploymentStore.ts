import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { markFactsStale } from '../metrics/FactStore';

export type Outcome = 'success' | 'failure' | 'rolled_back';

/** A deployment report, checked, before it is stored. */
export interface NewDeployment {
  idempotencyKey: string;
  service: string;
  environment: string;
  commit: string;
  version?: string;
  outcome: Outcome;
  startedAt?: Date;
  finishedAt: Date;
  pipelineUrl?: string;
  repository?: string;
  reportedBy: string;
  source: 'paved-runner' | 'external';
}

export interface Deployment {
  id: string;
  idempotencyKey: string;
  service: string;
  environment: string;
  commit: string;
  version?: string;
  outcome: Outcome;
  startedAt?: string;
  finishedAt: string;
  pipelineUrl?: string;
  repository?: string;
  reportedBy: string;
  source: string;
  previousId?: string;
  commitCount: number;
  createdAt: string;
}

export interface DeploymentCommit {
  sha: string;
  author?: string;
  authorEmail?: string;
  committedAt?: string;
  message?: string;
}

const iso = (v: unknown) =>
  v === null || v === undefined
    ? undefined
    : new Date(v as string).toISOString();

/** Deployments and the commits each brought, in the plugin's database. */
export class DeploymentStore {
  constructor(private readonly db: Knex) {}

  async byKey(key: string) {
    const row = await this.db('deployments')
      .where({ idempotency_key: key })
      .first();
    return row && toDeployment(row);
  }

  async get(id: string) {
    const row = await this.db('deployments').where({ id }).first();
    return row && toDeployment(row);
  }

  /** The last successful deployment of an environment finished before `before`. */
  async previousSuccess(service: string, environment: string, before: Date) {
    const row = await this.db('deployments')
      .where({ service, environment, outcome: 'success' })
      .andWhere('finished_at', '<=', before)
      .orderBy('finished_at', 'desc')
      .first();
    return row && toDeployment(row);
  }

  /**
   * Stores a deployment with its commits, once per idempotency key: a
   * second insert of the same key returns the first deployment and
   * `created: false`.
   */
  async insert(
    deployment: NewDeployment,
    extra: { previousId?: string; commits: DeploymentCommit[] },
  ): Promise<{ deployment: Deployment; created: boolean }> {
    const id = randomUUID();
    try {
      await this.db.transaction(async tx => {
        await tx('deployments').insert({
          id,
          idempotency_key: deployment.idempotencyKey,
          service: deployment.service,
          environment: deployment.environment,
          commit_sha: deployment.commit,
          version: deployment.version ?? null,
          outcome: deployment.outcome,
          started_at: deployment.startedAt ?? null,
          finished_at: deployment.finishedAt,
          pipeline_url: deployment.pipelineUrl ?? null,
          repository: deployment.repository ?? null,
          reported_by: deployment.reportedBy,
          source: deployment.source,
          previous_id: extra.previousId ?? null,
          commit_count: extra.commits.length,
          created_at: new Date(),
        });
        const rows = extra.commits.map((c, position) => ({
          deployment_id: id,
          position,
          sha: c.sha,
          author: c.author ?? null,
          author_email: c.authorEmail ?? null,
          committed_at: c.committedAt ? new Date(c.committedAt) : null,
          message: c.message?.split('\n')[0].slice(0, 500) ?? null,
        }));
        for (let i = 0; i < rows.length; i += 200) {
          await tx('deployment_commits').insert(rows.slice(i, i + 200));
        }
        await markFactsStale(tx, {
          service: deployment.service,
          environment: deployment.environment,
          since: deployment.finishedAt,
        });
      });
    } catch (error) {
      const existing = await this.byKey(deployment.idempotencyKey);
      if (existing) return { deployment: existing, created: false };
      throw error;
    }
    return { deployment: (await this.get(id))!, created: true };
  }

  /** Records the first successful deployment of a service to an environment. */
  async recordFirstDeploy(row: {
    service: string;
    environment: string;
    deploymentId: string;
    template?: string;
    templateVersion?: string;
    serviceCreatedAt?: Date;
    deployedAt: Date;
  }) {
    await this.db('deployment_first_deploys')
      .insert({
        service: row.service,
        environment: row.environment,
        deployment_id: row.deploymentId,
        template: row.template ?? null,
        template_version: row.templateVersion ?? null,
        service_created_at: row.serviceCreatedAt ?? null,
        deployed_at: row.deployedAt,
        seconds_from_creation: row.serviceCreatedAt
          ? Math.max(
              0,
              Math.round(
                (row.deployedAt.getTime() - row.serviceCreatedAt.getTime()) /
                  1000,
              ),
            )
          : null,
      })
      .onConflict(['service', 'environment'])
      .ignore();
  }

  async firstDeploys(service: string) {
    const rows = await this.db('deployment_first_deploys')
      .where({ service })
      .orderBy('deployed_at');
    return rows.map(r => ({
      environment: r.environment as string,
      deploymentId: r.deployment_id as string,
      template: r.template ?? undefined,
      templateVersion: r.template_version ?? undefined,
      serviceCreatedAt: iso(r.service_created_at),
      deployedAt: iso(r.deployed_at)!,
      secondsFromCreation:
        r.seconds_from_creation === null
          ? undefined
          : Number(r.seconds_from_creation),
    }));
  }

  async list(filter: {
    service: string;
    environment?: string;
    limit: number;
  }): Promise<Deployment[]> {
    const query = this.db('deployments')
      .where({ service: filter.service })
      .orderBy('finished_at', 'desc')
      .limit(filter.limit);
    if (filter.environment) query.andWhere({ environment: filter.environment });
    return (await query).map(toDeployment);
  }

  /** Per environment: the last successful deployment, and the last of any outcome. */
  async current(service: string) {
    const rows = (
      await this.db('deployments')
        .where({ service })
        .orderBy('finished_at', 'desc')
        .limit(2000)
    ).map(toDeployment);
    const byEnv = new Map<
      string,
      {
        environment: string;
        current?: Deployment;
        latest: Deployment;
        count: number;
      }
    >();
    for (const d of rows) {
      const entry = byEnv.get(d.environment) ?? {
        environment: d.environment,
        latest: d,
        count: 0,
      };
      entry.count += 1;
      if (!entry.current && d.outcome === 'success') entry.current = d;
      byEnv.set(d.environment, entry);
    }
    return [...byEnv.values()];
  }

  async commits(deploymentId: string): Promise<DeploymentCommit[]> {
    const rows = await this.db('deployment_commits')
      .where({ deployment_id: deploymentId })
      .orderBy([
        { column: 'committed_at', order: 'desc' },
        { column: 'position', order: 'asc' },
      ]);
    return rows.map(r => ({
      sha: r.sha,
      author: r.author ?? undefined,
      authorEmail: r.author_email ?? undefined,
      committedAt: iso(r.committed_at),
      message: r.message ?? undefined,
    }));
  }
}

function toDeployment(row: any): Deployment {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    service: row.service,
    environment: row.environment,
    commit: row.commit_sha,
    version: row.version ?? undefined,
    outcome: row.outcome,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at)!,
    pipelineUrl: row.pipeline_url ?? undefined,
    repository: row.repository ?? undefined,
    reportedBy: row.reported_by,
    source: row.source,
    previousId: row.previous_id ?? undefined,
    commitCount: Number(row.commit_count ?? 0),
    createdAt: iso(row.created_at)!,
  };
}
