/**
 * The names deploy jobs know an environment's credentials by, the ones
 * twelve-factor apps and their libraries read.
 */
const WELL_KNOWN: Record<string, string> = {
  postgres_url: 'DATABASE_URL',
  redis_url: 'REDIS_URL',
  rabbitmq_url: 'AMQP_URL',
};

/**
 * An environment's connection URLs as job variables: the well-known names,
 * and `<RESOURCE>_URL` for any other resource. Passwords on their own are
 * left out: each is in its URL.
 */
export function deployVariables(secrets: Record<string, string>) {
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(secrets)) {
    if (!key.endsWith('_url')) continue;
    variables[WELL_KNOWN[key] ?? key.toUpperCase()] = value;
  }
  return variables;
}
