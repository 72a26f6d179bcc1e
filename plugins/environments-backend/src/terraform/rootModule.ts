import {
  fillTemplate,
  ModuleManifest,
} from '@internal/plugin-environments-node';
import {
  LoadedModule,
  ModuleTargets,
  targetValue,
} from '../modules/ModuleRegistry';

/** Where the state lives: PostgreSQL (a schema per environment) or a file. */
export type StateBackend =
  | { type: 'pg'; schemaName: string }
  | { type: 'local'; path: string };

/** What one environment's root module is made of. */
export type RootModuleSpec = {
  service: string;
  environment: string;
  size: 'small' | 'medium' | 'large';
  /** The approved modules of its building blocks, in the request's order. */
  modules: LoadedModule[];
  state: StateBackend;
  targets: ModuleTargets;
  /** Generated service passwords, by building block. */
  passwords: Partial<Record<string, string>>;
  /** What the developer entered for the modules' form inputs. */
  formInputs?: Record<string, Record<string, string | number | boolean>>;
};

/** The files and variables of one run's working directory. */
export type RootModule = {
  /** main.tf.json: Terraform's JSON syntax, so nothing is ever spliced into HCL. */
  config: object;
  /** terraform.tfvars.json: the non-secret inputs. */
  tfvars: Record<string, string | number | boolean>;
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
  const tfvars: Record<string, string | number | boolean> = {
    service: spec.service,
    environment: spec.environment,
    size: spec.size,
  };
  const secretEnv: Record<string, string> = {};
  const module: Record<string, object> = {};
  const output: Record<string, object> = {};
  const TYPES: Record<string, string> = { number: 'number', boolean: 'bool' };
  const typeOf = (value: unknown) => TYPES[typeof value] ?? 'string';

  for (const { name: resource, manifest, folder } of spec.modules) {
    const args: Record<string, string> = { source: `./modules/${folder}` };
    const pass = (input: string, value: unknown, secret = false) => {
      const v = `${resource}_${input}`;
      if (secret) {
        variable[v] = { type: 'string', sensitive: true };
        secretEnv[`TF_VAR_${v}`] = String(value ?? '');
      } else {
        variable[v] = { type: typeOf(value) };
        tfvars[v] = value as string | number | boolean;
      }
      args[input] = `\${var.${v}}`;
    };
    for (const [input, source] of Object.entries(manifest.spec.inputs)) {
      switch (source.from) {
        case 'environment':
          args[input] = `\${var.${source.field}}`;
          break;
        case 'target':
          pass(input, targetValue(spec.targets, source), source.secret);
          break;
        case 'secret':
          pass(input, spec.passwords[resource] ?? '', true);
          break;
        case 'size':
          pass(input, source.values[spec.size]);
          break;
        case 'form':
          pass(input, spec.formInputs?.[resource]?.[input] ?? source.default);
          break;
        default:
      }
    }
    module[resource] = args;
    for (const { name } of manifest.spec.outputs) {
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
    modules: spec.modules.map(m => m.folder),
  };
}

/** The names of a building block's credentials, e.g. postgres_url. */
export function credentialNames(name: string, manifest: ModuleManifest) {
  return Object.keys(manifest.spec.credentials).map(key => `${name}_${key}`);
}

/**
 * Builds the credentials of every building block from its templates, its
 * outputs and the password the portal generated. They are never Terraform
 * outputs: root outputs are kept in state, and the modules keep only
 * salted hashes of passwords there.
 */
export function buildCredentials(
  modules: LoadedModule[],
  outputs: Record<string, string | number | boolean>,
  passwords: Partial<Record<string, string>>,
): Record<string, string> {
  const credentials: Record<string, string> = {};
  for (const { name, manifest } of modules) {
    const values: Record<string, unknown> = {};
    for (const { name: output } of manifest.spec.outputs) {
      values[output] = outputs[`${name}_${output}`];
    }
    for (const [input, source] of Object.entries(manifest.spec.inputs)) {
      if (source.from === 'secret') values[input] = passwords[name] ?? '';
    }
    for (const [key, template] of Object.entries(manifest.spec.credentials)) {
      credentials[`${name}_${key}`] = fillTemplate(template, values);
    }
  }
  return credentials;
}
