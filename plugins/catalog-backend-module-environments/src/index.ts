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
