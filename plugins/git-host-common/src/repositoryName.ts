import { InputError } from '@backstage/errors';

/** The rule a repository name must follow, as shown to users. */
export const REPOSITORY_NAME_RULE =
  'lowercase letters, digits and single dashes, starting with a letter, at most 63 characters';

/** The rule an owner segment (a group's name, lowercased) must follow. */
export const OWNER_SEGMENT_RULE =
  "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters";

const pattern = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$/;
const ownerPattern = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * First path segments the git host itself uses; no owner may take them.
 * `git` is where the flat repositories of earlier releases still answer.
 */
export const RESERVED_OWNER_SEGMENTS = [
  'api',
  'git',
  'repositories',
  'tokens',
  'token-policy',
  'health',
];

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

/** Whether a string is a valid owner segment (`payments` in `payments/shop`). */
export function isOwnerSegment(segment: unknown): segment is string {
  return (
    typeof segment === 'string' &&
    ownerPattern.test(segment) &&
    !segment.includes('..') &&
    !segment.endsWith('.git') &&
    !RESERVED_OWNER_SEGMENTS.includes(segment)
  );
}

/** Throws an InputError unless the segment is a valid owner segment. */
export function assertOwnerSegment(
  segment: unknown,
): asserts segment is string {
  if (!isOwnerSegment(segment)) {
    throw new InputError(
      `Invalid repository owner ${JSON.stringify(
        segment,
      )}: use ${OWNER_SEGMENT_RULE}, not one of ${RESERVED_OWNER_SEGMENTS.join(
        ', ',
      )}`,
    );
  }
}

/**
 * The owner segment of an entity ref: its name, lowercased, e.g. `payments`
 * for `group:default/payments`.
 */
export function ownerSegmentOf(ownerRef: string) {
  const name = ownerRef.slice(ownerRef.lastIndexOf('/') + 1);
  return name.slice(name.indexOf(':') + 1).toLocaleLowerCase('en-US');
}
