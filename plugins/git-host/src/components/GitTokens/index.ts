export { GitTokenButton } from './GitTokenButton';
export { GitTokensCard } from './GitTokensCard';
