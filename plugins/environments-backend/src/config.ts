import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { resolve as resolvePath } from 'node:path';
import { ModuleTargets } from './modules/ModuleRegistry';

/** `paved.environments`, with its defaults filled in. */
export type EnvironmentsConfig = {
  terraformBinary: string;
  modulesDir: string;
  dataDir: string;
  maxParallelRuns: number;
  lockTimeoutSeconds: number;
  shutdownGraceMs: number;
  defaultTtlHours: number;
  maxTtlHours: number;
  encryptionKey?: string;
  stateConnectionString?: string;
  targets: ModuleTargets;
  sweepFrequency: HumanDuration;
  driftFrequency: HumanDuration;
  /** Retries of a Terraform step that met a database out of connections. */
  transientRetry: { attempts: number; firstDelayMs: number };
};

function duration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config?.has(key)) {
    return fallback;
  }
  return readDurationFromConfig(config, { key });
}

/** Reads `paved.environments`; relative paths are relative to the backend's folder. */
export function readEnvironmentsConfig(root: Config): EnvironmentsConfig {
  const c = root.getOptionalConfig('paved.environments');
  // getOptional, not getOptionalString: an empty password (trust auth,
  // e.g. from `${VAR:-}`) is a real value here.
  const str = (key: string, fallback: string) => {
    const value = c?.getOptional(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') {
      throw new Error(`paved.environments.${key} must be a string`);
    }
    return value;
  };
  const num = (key: string, fallback: number) =>
    c?.getOptionalNumber(key) ?? fallback;

  const maxParallelRuns = num('maxParallelRuns', 2);
  const defaultTtlHours = num('ttl.defaultHours', 72);
  const maxTtlHours = num('ttl.maxHours', 720);
  if (!Number.isInteger(maxParallelRuns) || maxParallelRuns < 1) {
    throw new Error('paved.environments.maxParallelRuns must be at least 1');
  }
  if (defaultTtlHours <= 0 || defaultTtlHours > maxTtlHours) {
    throw new Error(
      'paved.environments.ttl.defaultHours must be above 0 and at most ttl.maxHours',
    );
  }
  const encryptionKey = c?.getOptionalString('encryptionKey');
  if (encryptionKey !== undefined && encryptionKey.length < 32) {
    throw new Error(
      'paved.environments.encryptionKey must be at least 32 characters',
    );
  }

  return {
    terraformBinary: str('terraformBinary', 'terraform'),
    modulesDir: resolvePath(str('modulesDir', '../../terraform/modules')),
    dataDir: resolvePath(str('dataDir', '../../data/environments')),
    maxParallelRuns,
    lockTimeoutSeconds: Math.ceil(
      durationToMilliseconds(duration(c, 'lockTimeout', { seconds: 60 })) /
        1000,
    ),
    shutdownGraceMs: durationToMilliseconds(
      duration(c, 'shutdownGracePeriod', { seconds: 25 }),
    ),
    defaultTtlHours,
    maxTtlHours,
    encryptionKey,
    stateConnectionString: c?.getOptionalString('state.connectionString'),
    targets: readTargets(c?.getOptional('targets')),
    sweepFrequency: duration(c, 'lifecycle.sweepFrequency', { minutes: 1 }),
    driftFrequency: duration(c, 'lifecycle.driftFrequency', { hours: 6 }),
    transientRetry: {
      attempts: Math.max(1, num('transientRetry.attempts', 5)),
      firstDelayMs: durationToMilliseconds(
        duration(c, 'transientRetry.firstDelay', { seconds: 2 }),
      ),
    },
  };
}

/**
 * `paved.environments.targets`: per server, its fields (host, port, admin
 * user, ...), which module manifests read with `from: target`. Defaults
 * are in the manifests.
 */
function readTargets(value: unknown): ModuleTargets {
  if (value === undefined) return {};
  const problem = (key: string) =>
    new Error(
      `paved.environments.targets${key} must be a map of servers, each a map of fields to strings, numbers or booleans`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problem('');
  }
  const targets: ModuleTargets = {};
  for (const [name, fields] of Object.entries(value)) {
    if (
      typeof fields !== 'object' ||
      fields === null ||
      Array.isArray(fields)
    ) {
      throw problem(`.${name}`);
    }
    targets[name] = {};
    for (const [field, v] of Object.entries(fields)) {
      if (!['string', 'number', 'boolean'].includes(typeof v)) {
        throw problem(`.${name}.${field}`);
      }
      targets[name][field] = v as string | number | boolean;
    }
  }
  return targets;
}
