import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';

const SAFE_SCHEMES = ['http:', 'https:', 'mailto:'];

/**
 * Links an entity shows (metadata.links) must be http, https or mailto:
 * a `javascript:` link would run in the reader's session, and the entity
 * page's Links card refuses to render one at all.
 */
export class SafeLinksProcessor implements CatalogProcessor {
  getProcessorName() {
    return 'SafeLinksProcessor';
  }

  async preProcessEntity(entity: Entity) {
    const problems = (entity.metadata.links ?? []).flatMap((link, index) => {
      let scheme: string | undefined;
      try {
        scheme = new URL(String(link?.url)).protocol;
      } catch {
        scheme = undefined;
      }
      return scheme && SAFE_SCHEMES.includes(scheme)
        ? []
        : [`metadata.links[${index}].url ${JSON.stringify(link?.url)}`];
    });
    if (problems.length) {
      throw new InputError(
        `${problems.join(
          ', ',
        )}: a link must be an absolute http, https or mailto URL`,
      );
    }
    return entity;
  }
}
