/**
 * What the deployments backend answers about delivery: its figures,
 * insights and incidents, for the backend and the portal's frontend alike.
 *
 * @packageDocumentation
 */
export type * from './types';
