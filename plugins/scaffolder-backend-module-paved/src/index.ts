/**
 * Paved's scaffolder actions.
 *
 * @packageDocumentation
 */
export { scaffolderModulePaved as default } from './module';
export { createRepoPublishAction } from './actions/repoPublish';
export {
  createPipelineProvisionAction,
  CI_SYSTEM_ANNOTATION,
  PIPELINE_PATH_ANNOTATION,
} from './actions/pipelineProvision';
