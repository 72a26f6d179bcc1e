import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ModuleRegistry, ModuleTargets } from '../modules/ModuleRegistry';

/** The repository's approved modules, read from their manifests. */
export const MODULES_DIR = path.resolve(
  __dirname,
  '../../../../terraform/modules',
);

export function approvedModules(targets: ModuleTargets = {}) {
  return new ModuleRegistry({
    modulesDir: MODULES_DIR,
    targets,
    logger: mockServices.logger.mock(),
  });
}

/** The loaded modules of the given building blocks, in that order. */
export function modulesOf(registry: ModuleRegistry, ...names: string[]) {
  return names.map(name => {
    const module = registry.get(name);
    if (!module) throw new Error(`no approved module ${name}`);
    return module;
  });
}
