import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';

/** A link to the entity an environment names; anything else stays text. */
export function EntityRefText({ entityRef }: { entityRef: string }) {
  let parsed;
  try {
    parsed = parseEntityRef(entityRef);
  } catch {
    return <>{entityRef}</>;
  }
  return <EntityRefLink entityRef={parsed} />;
}

/**
 * Who asked for something: a user, linked, or one of the backend's jobs
 * (`system:ttl-sweeper`), which is no catalog entity and stays text.
 */
export function RequesterText({ requester }: { requester: string }) {
  if (!requester.startsWith('user:')) {
    return <>{requester}</>;
  }
  return <EntityRefText entityRef={requester} />;
}

/** An entity ref as short text, e.g. `alice` for `user:default/alice`. */
export function entityRefTitle(entityRef: string): string {
  try {
    const parsed = parseEntityRef(entityRef);
    return humanizeEntityRef(parsed, { defaultKind: parsed.kind });
  } catch {
    return entityRef;
  }
}
