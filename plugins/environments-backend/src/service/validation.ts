import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CreateEnvironmentRequest,
  ENVIRONMENT_NAME_PATTERN,
  ENVIRONMENT_NAME_RULE,
  ENVIRONMENT_RESOURCES,
  ENVIRONMENT_SIZES,
  EnvironmentResource,
  SERVICE_NAME_PATTERN,
  SERVICE_NAME_RULE,
} from '@internal/plugin-environments-common';
import { EnvironmentsConfig } from '../config';

/** A validated request for a new environment. */
export type ValidEnvironmentRequest = {
  service: string;
  /** Checked against the catalog by EnvironmentService.resolveOwner. */
  owner?: string;
  name: string;
  size: (typeof ENVIRONMENT_SIZES)[number];
  resources: EnvironmentResource[];
  ttlHours: number;
};

/** Checks a request and says exactly what is wrong; nothing is run. */
export function validateRequest(
  input: Partial<CreateEnvironmentRequest>,
  config: Pick<EnvironmentsConfig, 'defaultTtlHours' | 'maxTtlHours'>,
): ValidEnvironmentRequest {
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
    problems.push(
      `resources: pick at least one of ${ENVIRONMENT_RESOURCES.join(', ')}`,
    );
  } else {
    const unknown = resources.filter(r => !ENVIRONMENT_RESOURCES.includes(r));
    if (unknown.length) {
      problems.push(
        `resources: ${unknown
          .map(u => JSON.stringify(u))
          .join(
            ', ',
          )} is not an approved module; the approved ones are ${ENVIRONMENT_RESOURCES.join(
          ', ',
        )}`,
      );
    }
    if (new Set(resources).size !== resources.length) {
      problems.push('resources: each resource may be listed once');
    }
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
    ttlHours,
  };
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
