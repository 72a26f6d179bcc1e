import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RepositoryStore } from '../service/RepositoryStore';
import { entitiesOfRepository } from '../service/catalogRefresh';
import { JobVariablesProvider } from './PipelineRunner';

/** How long a job's report token lives at most: it is revoked when the job ends. */
const REPORT_TOKEN_MS = 24 * 60 * 60 * 1000;
/** How long a deploy job waits for its environment to be made. */
const ENVIRONMENT_WAIT_MS = 10 * 60_000;

/**
 * What a deploy job (a job with `environment:`) of a pipeline on the
 * default branch gets, masked: a deploy token that may only report
 * deployments of this repository, and the credentials of the service's
 * environment of that name (from the environments plugin), for a service
 * this repository declares in the catalog and owned by its owner. Other
 * jobs, and jobs on other branches, get neither.
 */
export function createJobVariables(options: {
  repositoryStore: RepositoryStore;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  baseUrl: string;
  defaultBranch: string;
  reportTokenVariable: string;
}): JobVariablesProvider {
  const { repositoryStore, catalog, auth, discovery, baseUrl } = options;
  return async ({ pipeline, repository, job, log }) => {
    if (!job.environment) return { variables: {}, masked: [] };
    if (pipeline.ref !== options.defaultBranch) {
      log(
        `Paved runner: ${job.name} deploys to '${job.environment}' from ${pipeline.ref}, not ${options.defaultBranch}: it gets no credentials and no report token (they are for the default branch only)`,
      );
      return { variables: {}, masked: [] };
    }
    const variables: Record<string, string> = {};
    const entities = await entitiesOfRepository({
      repository,
      defaultBranch: options.defaultBranch,
      baseUrl,
      catalog,
      auth,
    });
    const services = entities
      .filter(e => e.kind.toLocaleLowerCase('en-US') === 'component')
      .map(e => e.ref);
    if (services.length === 0) {
      log(
        `Paved runner: no catalog component comes from ${repository.fullName}, so '${job.environment}' has no Paved environment to deploy to`,
      );
    } else {
      const query = new URLSearchParams({
        name: job.environment,
        owner: repository.owner,
        pipeline: `${repository.fullName}#${pipeline.number}`,
      });
      for (const service of services) query.append('service', service);
      const ask = async () => {
        const { token } = await auth.getPluginRequestToken({
          onBehalfOf: await auth.getOwnServiceCredentials(),
          targetPluginId: 'environments',
        });
        return fetch(
          `${await discovery.getBaseUrl(
            'environments',
          )}/deploy-credentials?${query}`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
      };
      let res = await ask();
      // An environment still being made (the golden path asks for it while
      // the first pipeline runs): wait for it, as a deploy job would.
      const waitUntil = Date.now() + ENVIRONMENT_WAIT_MS;
      let said = false;
      while (res.status === 409 && Date.now() < waitUntil) {
        if (!said) {
          log(
            `Paved runner: environment '${job.environment}' is ${
              ((await res.json()) as { status?: string }).status ?? 'not ready'
            }; waiting for it (up to ${ENVIRONMENT_WAIT_MS / 60_000} minutes)`,
          );
          said = true;
        }
        await new Promise(r => setTimeout(r, 3_000));
        res = await ask();
      }
      if (res.status === 404) {
        log(
          `Paved runner: ${services.join(', ')} has no environment '${
            job.environment
          }' owned by ${
            repository.owner
          }; the job runs without its credentials`,
        );
      } else if (!res.ok) {
        throw (await ResponseError.fromResponse(res)).cause;
      } else {
        const body = (await res.json()) as {
          environment: { name: string; service: string };
          variables: Record<string, string>;
        };
        Object.assign(variables, body.variables);
        log(
          `Paved runner: credentials of environment '${
            body.environment.name
          }' of ${body.environment.service}: ${
            Object.keys(body.variables).join(', ') || 'none'
          } (masked)`,
        );
      }
    }
    const issued = await repositoryStore.issueToken({
      name: `Pipeline #${pipeline.number} ${job.name}`,
      subject: `pipeline:${repository.fullName}#${pipeline.number}`,
      repositoryId: repository.id,
      scope: 'deployments:report',
      expiresAt: new Date(Date.now() + REPORT_TOKEN_MS),
    });
    variables[options.reportTokenVariable] = issued.token;
    return {
      variables,
      masked: Object.values(variables),
      release: () => repositoryStore.deleteToken(issued.record.id),
    };
  };
}
