export { ChangeRequestsView } from './ChangeRequestsView';
