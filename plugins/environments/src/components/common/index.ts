export { ADD_ENVIRONMENT_TEMPLATE_PATH } from './links';
export { describeError, ErrorAlert, isNotAllowed } from './ErrorAlert';
export { isEnvironmentBusy, isRunActive, runKindTitle } from './activity';
export { EntityRefText, entityRefTitle, RequesterText } from './EntityRefText';
export {
  DriftLabel,
  EnvironmentStatusLabel,
  RunStatusLabel,
} from './StatusLabels';
export { Expiry, RelativeTime } from './Times';
