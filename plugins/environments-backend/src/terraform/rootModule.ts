import {
  ENVIRONMENT_RESOURCE_INFO,
  EnvironmentResource,
} from '@internal/plugin-environments-common';
import { ModuleTargets } from '../config';

/** How one approved building block is wired into an environment's root module. */
type ResourceDefinition = {
  /** Module inputs taken from the environment or the target server. */
  inputs: (targets: ModuleTargets) => Record<string, string | number>;
  /** Module inputs that are secrets: passed only as TF_VAR_* variables. */
  secretInputs: (targets: ModuleTargets) => Record<string, string>;
  outputs: string[];
  /**
   * Credentials the plugin builds from the outputs and the password it
   * generated. They are never Terraform outputs: root outputs are kept in
   * state, and the modules keep only salted hashes of passwords there.
   */
  credentials: (
    outputs: Record<string, string | number | boolean>,
    password: string,
  ) => { url: string; password: string };
};

/** A host as it goes in a URL (IPv6 in brackets). */
const urlHost = (host: unknown) =>
  String(host).includes(':') ? `[${host}]` : String(host);
const enc = (value: unknown) => encodeURIComponent(String(value));

/** How each approved module is wired into a root module: its inputs and credentials. */
export const RESOURCE_DEFINITIONS: Record<
  EnvironmentResource,
  ResourceDefinition
> = {
  postgres: {
    inputs: t => ({
      host: t.postgres.host,
      port: t.postgres.port,
      admin_user: t.postgres.adminUser,
    }),
    secretInputs: t => ({ admin_password: t.postgres.adminPassword }),
    outputs: ['database', 'username', 'host', 'port'],
    credentials: (o, password) => ({
      url: `postgresql://${enc(o.postgres_username)}:${enc(password)}@${urlHost(
        o.postgres_host,
      )}:${o.postgres_port}/${enc(o.postgres_database)}`,
      password,
    }),
  },
  redis: {
    inputs: t => ({
      host: t.redis.host,
      port: t.redis.port,
      admin_user: t.redis.adminUser,
    }),
    secretInputs: t => ({ admin_password: t.redis.adminPassword }),
    outputs: ['username', 'key_prefix', 'host', 'port'],
    credentials: (o, password) => ({
      url: `redis://${enc(o.redis_username)}:${enc(password)}@${urlHost(
        o.redis_host,
      )}:${o.redis_port}`,
      password,
    }),
  },
  rabbitmq: {
    inputs: t => ({
      host: t.rabbitmq.host,
      port: t.rabbitmq.port,
      node: t.rabbitmq.node,
    }),
    secretInputs: () => ({}),
    outputs: ['vhost', 'username', 'host', 'port'],
    credentials: (o, password) => ({
      url: `amqp://${enc(o.rabbitmq_username)}:${enc(password)}@${urlHost(
        o.rabbitmq_host,
      )}:${o.rabbitmq_port}/${enc(o.rabbitmq_vhost)}`,
      password,
    }),
  },
};

/** Where the state lives: PostgreSQL (a schema per environment) or a file. */
export type StateBackend =
  | { type: 'pg'; schemaName: string }
  | { type: 'local'; path: string };

/** What one environment's root module is made of. */
export type RootModuleSpec = {
  service: string;
  environment: string;
  size: string;
  resources: EnvironmentResource[];
  state: StateBackend;
  targets: ModuleTargets;
  /** Generated service passwords, by resource. */
  passwords: Partial<Record<EnvironmentResource, string>>;
};

/** The files and variables of one run's working directory. */
export type RootModule = {
  /** main.tf.json: Terraform's JSON syntax, so nothing is ever spliced into HCL. */
  config: object;
  /** terraform.tfvars.json: the non-secret inputs. */
  tfvars: Record<string, string | number>;
  /** TF_VAR_* for the secret inputs. */
  secretEnv: Record<string, string>;
  /** Module folders to copy next to main.tf.json. */
  modules: string[];
};

/**
 * Builds an environment's root module from the approved modules. Every value
 * reaches Terraform as a variable (tfvars file or TF_VAR_*), never as text in
 * the configuration.
 */
export function buildRootModule(spec: RootModuleSpec): RootModule {
  const variable: Record<string, object> = {
    service: { type: 'string' },
    environment: { type: 'string' },
    size: { type: 'string' },
  };
  const tfvars: Record<string, string | number> = {
    service: spec.service,
    environment: spec.environment,
    size: spec.size,
  };
  const secretEnv: Record<string, string> = {};
  const module: Record<string, object> = {};
  const output: Record<string, object> = {};

  for (const resource of spec.resources) {
    const def = RESOURCE_DEFINITIONS[resource];
    const args: Record<string, string> = {
      source: `./modules/${ENVIRONMENT_RESOURCE_INFO[resource].module}`,
      service: '${var.service}',
      environment: '${var.environment}',
    };
    if (resource === 'postgres') {
      args.size = '${var.size}';
    }
    for (const [name, value] of Object.entries(def.inputs(spec.targets))) {
      const v = `${resource}_${name}`;
      variable[v] = { type: typeof value === 'number' ? 'number' : 'string' };
      tfvars[v] = value;
      args[name] = `\${var.${v}}`;
    }
    const secrets = {
      ...def.secretInputs(spec.targets),
      password: spec.passwords[resource] ?? '',
    };
    for (const [name, value] of Object.entries(secrets)) {
      const v = `${resource}_${name}`;
      variable[v] = { type: 'string', sensitive: true };
      secretEnv[`TF_VAR_${v}`] = value;
      args[name] = `\${var.${v}}`;
    }
    module[resource] = args;
    for (const name of def.outputs) {
      output[`${resource}_${name}`] = {
        value: `\${module.${resource}.${name}}`,
      };
    }
  }

  const backend =
    spec.state.type === 'pg'
      ? { pg: { schema_name: spec.state.schemaName } }
      : { local: { path: spec.state.path } };

  return {
    config: {
      terraform: { required_version: '>= 1.5', backend },
      variable,
      ...(Object.keys(module).length ? { module, output } : {}),
    },
    tfvars,
    secretEnv,
    modules: spec.resources.map(r => ENVIRONMENT_RESOURCE_INFO[r].module),
  };
}

/** The names of an environment's credentials, e.g. postgres_url. */
export function credentialNames(resources: EnvironmentResource[]) {
  return resources.flatMap(r => [`${r}_url`, `${r}_password`]);
}

/** Builds the credentials of every resource from its outputs. */
export function buildCredentials(
  resources: EnvironmentResource[],
  outputs: Record<string, string | number | boolean>,
  passwords: Partial<Record<EnvironmentResource, string>>,
): Record<string, string> {
  const credentials: Record<string, string> = {};
  for (const resource of resources) {
    const { url, password } = RESOURCE_DEFINITIONS[resource].credentials(
      outputs,
      passwords[resource] ?? '',
    );
    credentials[`${resource}_url`] = url;
    credentials[`${resource}_password`] = password;
  }
  return credentials;
}
