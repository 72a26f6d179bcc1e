export { EnvironmentDetailsPage } from './EnvironmentDetailsPage';
