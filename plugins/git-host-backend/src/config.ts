import path from 'node:path';
import { Config } from '@backstage/config';

/**
 * The git host's public base URL. Clone URLs, file URLs and the URL reader
 * all derive from it, so they agree wherever the backend listens.
 */
export function gitHostBaseUrl(config: Config) {
  return `${config.getString('backend.baseUrl')}/api/git-host`;
}

/** The folder of bare repositories (gitHost.root, default data/git). */
export function gitHostRoot(config: Config) {
  return path.resolve(config.getOptionalString('gitHost.root') ?? 'data/git');
}

/** How long git tokens live: `gitHost.tokens.defaultExpiryDays` and `maxExpiryDays`. */
export function tokenPolicy(config: Config) {
  const maxDays =
    config.getOptionalNumber('gitHost.tokens.maxExpiryDays') ?? 365;
  const defaultDays = Math.min(
    config.getOptionalNumber('gitHost.tokens.defaultExpiryDays') ?? 90,
    maxDays,
  );
  return { defaultDays, maxDays };
}
