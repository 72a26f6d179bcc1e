export { EntityCiCdContent } from './EntityCiCdContent';
