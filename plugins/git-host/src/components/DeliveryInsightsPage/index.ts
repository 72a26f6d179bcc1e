export { DeliveryInsightsPage } from './DeliveryInsightsPage';
