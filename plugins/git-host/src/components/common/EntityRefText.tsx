import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

/** A link to the entity a ref names; anything else stays text. */
export function EntityRefText({ entityRef }: { entityRef: string }) {
  let parsed;
  try {
    parsed = parseEntityRef(entityRef);
  } catch {
    return <>{entityRef}</>;
  }
  return <EntityRefLink entityRef={parsed} />;
}
