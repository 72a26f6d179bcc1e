export { ChangeRequestView } from './ChangeRequestView';
