import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import {
  CreateEnvironmentRequest,
  Environment,
  EnvironmentRun,
  RunEvent,
} from '@internal/plugin-environments-common';

/**
 * Talks to the environments plugin on behalf of the user who started the
 * task, so its permission policy judges that user.
 */
export class EnvironmentsClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async create(
    request: CreateEnvironmentRequest,
    credentials: BackstageCredentials,
  ) {
    return (await this.call('/environments', credentials, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    })) as { environment: Environment; run: EnvironmentRun };
  }

  async requestRun(
    environmentId: string,
    kind: 'apply',
    credentials: BackstageCredentials,
  ) {
    return (await this.call(
      `/environments/${environmentId}/runs`,
      credentials,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind }),
      },
    )) as EnvironmentRun;
  }

  async run(runId: string, credentials: BackstageCredentials) {
    return (await this.call(`/runs/${runId}`, credentials)) as EnvironmentRun;
  }

  async events(
    runId: string,
    after: number,
    credentials: BackstageCredentials,
  ) {
    return (await this.call(
      `/runs/${runId}/events?after=${after}`,
      credentials,
    )) as { items: RunEvent[]; finished: boolean };
  }

  private async call(
    path: string,
    credentials: BackstageCredentials,
    init: RequestInit = {},
  ) {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'environments',
    });
    const res = await fetch(
      `${await this.discovery.getBaseUrl('environments')}${path}`,
      {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${token}` },
      },
    );
    if (!res.ok) {
      throw await explain(res);
    }
    return res.json();
  }
}

/** The plugin's own message, as the matching Backstage error. */
async function explain(res: Response) {
  const error = await ResponseError.fromResponse(res);
  const message = error.body?.error?.message || error.message;
  const Known = {
    400: InputError,
    403: NotAllowedError,
    404: NotFoundError,
    409: ConflictError,
  }[res.status];
  return Known ? new Known(message) : error;
}
