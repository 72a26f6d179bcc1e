import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  Environment,
  EnvironmentOptions,
} from '@internal/plugin-environments-common';
import { environmentEntities } from './environmentEntities';

/**
 * Mirrors the environments plugin into the catalog. Every refresh replaces
 * the provider's whole set, so a destroyed environment's entities go away.
 */
export class EnvironmentEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      appBaseUrl: string;
    },
  ) {}

  getProviderName() {
    return 'paved-environments';
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  /** Re-reads every live environment; calls during a refresh coalesce into one more. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.read()
      .catch(error =>
        this.deps.logger.warn(`Could not read environments: ${error}`),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
    return this.running;
  }

  private async read() {
    if (!this.connection) return;
    const { discovery, auth, appBaseUrl } = this.deps;
    const baseUrl = await discovery.getBaseUrl('environments');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'environments',
    });
    const get = async <T>(path: string) => {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      return (await response.json()) as T;
    };
    const [{ items }, options] = await Promise.all([
      get<{ items: Environment[] }>('/environments'),
      get<EnvironmentOptions>('/options'),
    ]);
    const modules = new Map(options.resources.map(m => [m.id, m]));
    await this.connection.applyMutation({
      type: 'full',
      entities: items.flatMap(env =>
        environmentEntities(env, appBaseUrl, modules).map(entity => ({
          entity,
          locationKey: `paved-environments:${env.id}`,
        })),
      ),
    });
  }
}
