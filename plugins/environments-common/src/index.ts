/**
 * Shared by Paved's environments plugin, its frontend and the scaffolder
 * action: the API's types, the permissions and the naming rules.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './names';
export * from './permissions';
