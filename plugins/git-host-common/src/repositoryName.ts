import { InputError } from '@backstage/errors';

/** The rule a repository name must follow, as shown to users. */
export const REPOSITORY_NAME_RULE =
  'lowercase letters, digits and single dashes, starting with a letter, at most 63 characters';

const pattern = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$/;

/**
 * Throws an InputError unless the name is safe to use as a folder name, a
 * URL segment and a catalog entity name.
 */
export function assertRepositoryName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !pattern.test(name)) {
    throw new InputError(
      `Invalid repository name ${JSON.stringify(
        name,
      )}: use ${REPOSITORY_NAME_RULE}`,
    );
  }
}
