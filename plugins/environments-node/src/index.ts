/**
 * What backend plugins share about Paved's approved Terraform modules: the
 * paved-module.yaml manifest, its schema and its checks.
 *
 * @packageDocumentation
 */
export * from './manifest';
export * from './checkManifest';
