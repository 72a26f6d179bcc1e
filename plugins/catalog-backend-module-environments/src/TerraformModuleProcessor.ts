import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  checkManifest,
  MANIFEST_FILE,
  ModuleManifest,
} from '@internal/plugin-environments-node';

/** The annotation with the version of a module's manifest. */
export const MODULE_VERSION_ANNOTATION = 'paved.dev/module-version';

const isModule = (entity: Entity) =>
  entity.apiVersion === 'paved.dev/v1alpha1' &&
  entity.kind === 'TerraformModule';

/**
 * The approved modules' manifests (`terraform/modules/<folder>/paved-module.yaml`,
 * a catalog file location) as entities of kind TerraformModule, each with
 * a Component `terraform-<folder>` of type terraform-module for the
 * environments' parts to depend on. A manifest the environments plugin
 * would refuse is refused here too, with the same message naming the file
 * and field, so it shows on the Catalog errors page.
 */
export class TerraformModuleProcessor implements CatalogProcessor {
  getProcessorName() {
    return 'TerraformModuleProcessor';
  }

  async validateEntityKind(entity: Entity) {
    return isModule(entity);
  }

  async preProcessEntity(entity: Entity, location: LocationSpec) {
    if (!isModule(entity)) return entity;
    const dir = this.folderOf(location);
    const { problems } = checkManifest(
      dir,
      path.join(path.basename(dir), MANIFEST_FILE),
    );
    if (problems.length) {
      throw new InputError(
        problems.map(p => `${p.file}: ${p.message}`).join('; '),
      );
    }
    return entity;
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ) {
    if (!isModule(entity)) return entity;
    const { metadata } = entity as unknown as ModuleManifest;
    const folder = path.basename(this.folderOf(location));
    emit(
      processingResult.entity(location, {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `terraform-${folder}`,
          title: `${metadata.title} (Terraform module)`,
          description: metadata.description,
          tags: ['terraform', 'building-block', metadata.name],
          annotations: { [MODULE_VERSION_ANNOTATION]: metadata.version },
        },
        spec: {
          type: 'terraform-module',
          lifecycle: 'production',
          owner: metadata.owner,
        },
      }),
    );
    return entity;
  }

  private folderOf(location: LocationSpec) {
    if (
      location.type !== 'file' ||
      path.basename(location.target) !== MANIFEST_FILE
    ) {
      throw new InputError(
        `A TerraformModule is read from the ${MANIFEST_FILE} in its module folder (a file location), not from ${location.type}:${location.target}`,
      );
    }
    return path.dirname(location.target);
  }
}
