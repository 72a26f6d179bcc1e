/**
 * Puts Paved's environments into the catalog as Resource entities.
 *
 * @packageDocumentation
 */
export { catalogModuleEnvironments as default } from './module';
export {
  environmentEntities,
  ENVIRONMENT_ANNOTATIONS,
} from './environmentEntities';
export {
  TerraformModuleProcessor,
  MODULE_VERSION_ANNOTATION,
} from './TerraformModuleProcessor';
