/**
 * Paved's deployments backend plugin: `POST /api/deployments/report` for
 * the embedded runner and any CI, and the deployments of each service.
 *
 * @packageDocumentation
 */
export { deploymentsPlugin as default } from './plugin';
