export { GroupDeliveryContent } from './GroupDeliveryContent';
