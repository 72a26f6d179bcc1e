import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { durationToMilliseconds } from '@backstage/types';
import { resolve as resolvePath } from 'node:path';

/** Which environments stop after their plan, and who may let them go on. */
export type Protection = {
  /** Environment names, e.g. prod. */
  names: string[];
  /** Regular expressions over the environment name, e.g. ^prod-. */
  patterns: string[];
  /** How many people other than the requester must approve. */
  approvals: number;
  /**
   * Whose members may approve: group refs, and `owner` for the
   * environment's owning group.
   */
  approverGroups: string[];
};

/** Monthly prices per module and size. */
export type PriceTable = {
  currency: string;
  /** For a module or size the table does not list. */
  default: number;
  modules: Record<string, Partial<Record<string, number>>>;
};

/** `paved.environments.guardrails`, with its defaults filled in. */
export type GuardrailsConfig = {
  protection: Protection;
  /** Per owning group, what differs from the organization's protection. */
  groupProtection: Record<string, Partial<Protection>>;
  /** How long a plan waits for its approvals before it expires. */
  approvalWindowMs: number;
  /** The policy rules (YAML); none when unset. */
  policyFile?: string;
  /**
   * What a policy file that cannot be read holds: runs of protected
   * environments only (the default), or every run.
   */
  failClosed: 'protected' | 'all';
  prices: PriceTable;
  /** Monthly budgets by owning group. */
  budgets: Record<string, number>;
};

const DEFAULT_PROTECTED = ['prod', 'production', 'staging'];

function readProtection(
  c: Config | undefined,
  where: string,
): Partial<Protection> {
  if (!c) return {};
  const protection: Partial<Protection> = {};
  const names = c.getOptionalStringArray('names');
  if (names) protection.names = names;
  const patterns = c.getOptionalStringArray('patterns');
  if (patterns) {
    for (const pattern of patterns) {
      try {
        RegExp(pattern);
      } catch (error) {
        throw new Error(
          `${where}.patterns: ${pattern} is not a regular expression (${
            (error as Error).message
          })`,
        );
      }
    }
    protection.patterns = patterns;
  }
  const approvals = c.getOptionalNumber('approvals');
  if (approvals !== undefined) {
    if (!Number.isInteger(approvals) || approvals < 1) {
      throw new Error(
        `${where}.approvals must be a whole number of at least 1`,
      );
    }
    protection.approvals = approvals;
  }
  const approverGroups = c.getOptionalStringArray('approverGroups');
  if (approverGroups) protection.approverGroups = approverGroups;
  return protection;
}

function readPrices(c: Config | undefined): PriceTable {
  const modules: PriceTable['modules'] = {};
  const table = c?.getOptionalConfig('modules');
  for (const module of table?.keys() ?? []) {
    const sizes = table!.getConfig(module);
    modules[module] = {};
    for (const size of sizes.keys()) {
      const price = sizes.getNumber(size);
      if (price < 0) {
        throw new Error(
          `paved.environments.guardrails.prices.modules.${module}.${size} must not be negative`,
        );
      }
      modules[module][size] = price;
    }
  }
  return {
    currency: c?.getOptionalString('currency') ?? 'USD',
    default: c?.getOptionalNumber('default') ?? 0,
    modules,
  };
}

/** A map in config, as plain data; `{}` when absent. */
function objectAt(c: Config | undefined, key: string, where: string) {
  const value = c?.getOptional(key);
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be a map`);
  }
  return value as JsonObject;
}

/** Reads `paved.environments.guardrails`; `platformGroups` approve by default. */
export function readGuardrailsConfig(root: Config): GuardrailsConfig {
  const c = root.getOptionalConfig('paved.environments.guardrails');
  const where = 'paved.environments.guardrails';
  const platformGroups = root.getOptionalStringArray(
    'paved.permission.platformGroups',
  ) ?? ['group:default/platform'];
  const protection: Protection = {
    names: DEFAULT_PROTECTED,
    patterns: [],
    approvals: 1,
    approverGroups: ['owner', ...platformGroups],
    ...readProtection(c?.getOptionalConfig('protected'), `${where}.protected`),
  };
  // Keyed by entity refs, which are not valid config keys: read as data.
  const groupProtection: GuardrailsConfig['groupProtection'] = {};
  for (const [group, value] of Object.entries(
    objectAt(c, 'groups', `${where}.groups`),
  )) {
    const own = (value as JsonObject | null)?.protected;
    const at = `${where}.groups.${group}.protected`;
    if (typeof own !== 'object' || own === null || Array.isArray(own)) {
      throw new Error(`${at} must be a map`);
    }
    groupProtection[group] = readProtection(new ConfigReader(own), at);
  }
  const budgets: Record<string, number> = {};
  for (const [group, value] of Object.entries(
    objectAt(c, 'budgets', `${where}.budgets`),
  )) {
    if (typeof value !== 'number' || value < 0) {
      throw new Error(
        `${where}.budgets.${group} must be a number of at least 0`,
      );
    }
    budgets[group] = value;
  }
  const failClosed = c?.getOptionalString('failClosed') ?? 'protected';
  if (failClosed !== 'protected' && failClosed !== 'all') {
    throw new Error(`${where}.failClosed must be protected or all`);
  }
  const policyFile = c?.getOptionalString('policyFile');
  return {
    protection,
    groupProtection,
    approvalWindowMs: c?.has('approvalWindow')
      ? durationToMilliseconds(
          readDurationFromConfig(c, { key: 'approvalWindow' }),
        )
      : 24 * 3_600_000,
    policyFile: policyFile ? resolvePath(policyFile) : undefined,
    failClosed,
    prices: readPrices(c?.getOptionalConfig('prices')),
    budgets,
  };
}

/** Compiled once: protection is asked for every environment a list shows. */
const patterns = new Map<string, RegExp>();
const compiled = (pattern: string) => {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    patterns.set(pattern, re);
  }
  return re;
};

/** The protection an environment of this owner and name has, if any. */
export function protectionOf(
  config: GuardrailsConfig,
  owner: string,
  name: string,
): Protection | undefined {
  const protection = {
    ...config.protection,
    ...config.groupProtection[owner],
  };
  const named =
    protection.names.includes(name) ||
    protection.patterns.some(p => compiled(p).test(name));
  return named ? protection : undefined;
}
