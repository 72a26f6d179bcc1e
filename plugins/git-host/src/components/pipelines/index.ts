export { NoPipelineYet, RUNNER_OFF_TEXT, RunnerOffNote } from './NoPipelines';
export { PipelineTable } from './PipelineTable';
export { PipelineTrigger } from './PipelineTrigger';
export {
  ciSha,
  durationText,
  formatDuration,
  isJobActive,
  isPipelineActive,
  isPipelineFinished,
  jobsByStage,
} from './pipelineText';
export { StatusChip, statusColour } from './StatusChip';
export { usePipelines } from './usePipelines';
