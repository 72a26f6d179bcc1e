export { DeliveryFigures } from './DeliveryFigures';
export {
  DEFAULT_ENVIRONMENT,
  DEFAULT_WINDOW,
  EnvironmentPicker,
  WindowPicker,
} from './DeliveryPickers';
export { BandChip } from './BandChip';
export {
  durationText,
  numberText,
  percentText,
  rateText,
} from './deliveryText';
