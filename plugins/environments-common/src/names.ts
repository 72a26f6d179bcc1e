/** Environment names: what Terraform's modules accept (see terraform/modules). */
export const ENVIRONMENT_NAME_PATTERN =
  /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,19}$/;
/** The environment name rule in words, for forms and errors. */
export const ENVIRONMENT_NAME_RULE =
  'an environment name starts with a lowercase letter and has at most 20 lowercase letters, digits and single dashes, not at the end (e.g. dev, staging, pr-42)';

/** Service names the modules accept. */
export const SERVICE_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$/;
/** The service name rule in words. */
export const SERVICE_NAME_RULE =
  'a service name starts with a lowercase letter and has at most 40 lowercase letters, digits and single dashes, not at the end';

/**
 * The name of the environment's Resource entity: `<service>.<environment>`.
 * The dot cannot occur in either part, so two pairs never share a name.
 */
export function environmentEntityName(service: string, environment: string) {
  return `${service}.${environment}`;
}
