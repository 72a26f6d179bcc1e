import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CreateEnvironmentRequest,
  ENVIRONMENT_NAME_PATTERN,
  ENVIRONMENT_NAME_RULE,
  ENVIRONMENT_SIZES,
  EnvironmentResource,
  SERVICE_NAME_PATTERN,
  SERVICE_NAME_RULE,
} from '@internal/plugin-environments-common';
import { EnvironmentsConfig } from '../config';
import { FormInput } from '@internal/plugin-environments-node';
import { LoadedModule } from '../modules/ModuleRegistry';

/** A validated request for a new environment. */
export type ValidEnvironmentRequest = {
  service: string;
  /** Checked against the catalog by EnvironmentService.resolveOwner. */
  owner?: string;
  name: string;
  size: (typeof ENVIRONMENT_SIZES)[number];
  resources: EnvironmentResource[];
  /** Per building block, its form inputs, defaults filled in. */
  inputs: Record<string, Record<string, string | number | boolean>>;
  ttlHours: number;
  requestId?: string;
};

/** Checks a request and says exactly what is wrong; nothing is run. */
export function validateRequest(
  input: Partial<CreateEnvironmentRequest>,
  config: Pick<EnvironmentsConfig, 'defaultTtlHours' | 'maxTtlHours'>,
  modules: {
    list(): LoadedModule[];
    get(name: string): LoadedModule | undefined;
  },
): ValidEnvironmentRequest {
  const approved = modules.list().map(m => m.name);
  const problems: string[] = [];
  const service = refOrProblem(input.service, 'component', 'service', problems);
  if (service && !SERVICE_NAME_PATTERN.test(parseEntityRef(service).name)) {
    problems.push(
      `service "${parseEntityRef(service).name}": ${SERVICE_NAME_RULE}`,
    );
  }
  if (service && parseEntityRef(service).namespace !== 'default') {
    problems.push(
      `service ${JSON.stringify(
        input.service,
      )}: environments are for services in the default namespace`,
    );
  }
  // The owner comes from the catalog; a request may name it to be sure.
  const owner =
    input.owner === undefined
      ? undefined
      : refOrProblem(input.owner, ['group', 'user'], 'owner', problems);
  const name = input.name;
  if (typeof name !== 'string' || !ENVIRONMENT_NAME_PATTERN.test(name)) {
    problems.push(
      `name ${JSON.stringify(name ?? null)}: ${ENVIRONMENT_NAME_RULE}`,
    );
  }
  const size = input.size ?? 'small';
  if (!ENVIRONMENT_SIZES.includes(size)) {
    problems.push(
      `size ${JSON.stringify(size)}: must be one of ${ENVIRONMENT_SIZES.join(
        ', ',
      )}`,
    );
  }
  const resources = input.resources;
  if (!Array.isArray(resources) || resources.length === 0) {
    problems.push(`resources: pick at least one of ${approved.join(', ')}`);
  } else {
    const unknown = resources.filter(
      r => typeof r !== 'string' || !modules.get(r),
    );
    if (unknown.length) {
      problems.push(
        `resources: ${unknown
          .map(u => JSON.stringify(u))
          .join(
            ', ',
          )} is not an approved module; the approved ones are ${approved.join(
          ', ',
        )}`,
      );
    }
    if (new Set(resources).size !== resources.length) {
      problems.push('resources: each resource may be listed once');
    }
  }
  const inputs = checkFormInputs(input, modules, problems);
  const requestId = input.requestId;
  if (
    requestId !== undefined &&
    (typeof requestId !== 'string' || !requestId || requestId.length > 200)
  ) {
    problems.push('requestId: text of 1 to 200 characters, when given');
  }
  const ttlHours = input.ttlHours ?? config.defaultTtlHours;
  checkTtl(ttlHours, config.maxTtlHours, problems);
  if (problems.length) {
    throw new InputError(`Invalid environment request: ${problems.join('; ')}`);
  }
  return {
    service: service!,
    owner,
    name: name!,
    size,
    resources: resources!,
    inputs,
    ttlHours,
    requestId,
  };
}

/**
 * The answers to the chosen modules' form inputs, each checked against its
 * manifest (type, enum, bounds, length, pattern), defaults filled in.
 */
function checkFormInputs(
  input: Partial<CreateEnvironmentRequest>,
  modules: { get(name: string): LoadedModule | undefined },
  problems: string[],
) {
  const given = input.inputs ?? {};
  const result: Record<string, Record<string, string | number | boolean>> = {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    problems.push('inputs: must be an object of building blocks');
    return result;
  }
  const chosen = Array.isArray(input.resources) ? input.resources : [];
  for (const name of Object.keys(given)) {
    if (!chosen.includes(name)) {
      problems.push(`inputs.${name}: not one of the requested resources`);
    }
  }
  for (const name of chosen) {
    const module = typeof name === 'string' ? modules.get(name) : undefined;
    if (!module) continue;
    const answers = (given as Record<string, unknown>)[name] ?? {};
    if (typeof answers !== 'object' || answers === null) {
      problems.push(`inputs.${name}: must be an object of answers`);
      continue;
    }
    const form = Object.entries(module.manifest.spec.inputs).filter(
      (entry): entry is [string, FormInput] => entry[1].from === 'form',
    );
    for (const key of Object.keys(answers)) {
      if (!form.some(([field]) => field === key)) {
        problems.push(
          `inputs.${name}.${key}: the ${name} module asks no such question${
            form.length ? ` (it asks ${form.map(([f]) => f).join(', ')})` : ''
          }`,
        );
      }
    }
    result[name] = {};
    for (const [field, spec] of form) {
      const value = (answers as Record<string, unknown>)[field] ?? spec.default;
      const problem = formProblem(value, spec);
      if (problem) {
        problems.push(
          `inputs.${name}.${field} ${JSON.stringify(
            value ?? null,
          )}: ${problem}`,
        );
      } else {
        result[name][field] = value as string | number | boolean;
      }
    }
  }
  return result;
}

/** What is wrong with an answer to a form input, if anything. */
function formProblem(value: unknown, spec: FormInput): string | undefined {
  if (value === undefined) return 'required';
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') return 'must be true or false';
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return 'must be a number';
      }
      if (spec.type === 'integer' && !Number.isInteger(value)) {
        return 'must be a whole number';
      }
      if (spec.minimum !== undefined && value < spec.minimum) {
        return `must be at least ${spec.minimum}`;
      }
      if (spec.maximum !== undefined && value > spec.maximum) {
        return `must be at most ${spec.maximum}`;
      }
      break;
    default:
      if (typeof value !== 'string') return 'must be text';
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        return `must be at most ${spec.maxLength} characters`;
      }
      if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(value)) {
        return `must match ${spec.pattern}`;
      }
  }
  if (spec.enum && !spec.enum.includes(value as string | number)) {
    return `must be one of ${spec.enum.join(', ')}`;
  }
  return undefined;
}

/** Adds a problem unless ttlHours is a number of hours from 1 to max. */
export function checkTtl(ttlHours: unknown, max: number, problems: string[]) {
  if (
    typeof ttlHours !== 'number' ||
    !Number.isFinite(ttlHours) ||
    ttlHours < 1 ||
    ttlHours > max
  ) {
    problems.push(
      `ttlHours ${JSON.stringify(
        ttlHours,
      )}: must be a number of hours from 1 to ${max} (the platform maximum)`,
    );
  }
}

function refOrProblem(
  value: unknown,
  kinds: string | string[],
  field: string,
  problems: string[],
) {
  const allowed = typeof kinds === 'string' ? [kinds] : kinds;
  const kind = allowed[0];
  if (typeof value !== 'string' || !value) {
    problems.push(
      `${field}: required, an entity ref like ${kind}:default/name`,
    );
    return undefined;
  }
  try {
    const ref = parseEntityRef(value, {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
    if (!allowed.includes(ref.kind.toLocaleLowerCase('en-US'))) {
      problems.push(
        `${field} ${JSON.stringify(value)}: must be a ${allowed.join(
          ' or a ',
        )}`,
      );
      return undefined;
    }
    return stringifyEntityRef(ref);
  } catch {
    problems.push(
      `${field} ${JSON.stringify(
        value,
      )}: not an entity ref like ${kind}:default/name`,
    );
    return undefined;
  }
}
