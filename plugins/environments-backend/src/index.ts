/**
 * Paved's environments backend plugin: Terraform-backed environments as
 * first-class objects.
 *
 * @packageDocumentation
 */
export { environmentsPlugin as default } from './plugin';
export {
  environmentConditions,
  createEnvironmentConditionalDecision,
  environmentResourceRef,
} from './service/permissions';
