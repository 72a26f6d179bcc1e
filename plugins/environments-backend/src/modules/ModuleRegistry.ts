import fs from 'node:fs';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  checkManifest,
  LoadedModule,
  MANIFEST_FILE,
  ModuleProblem,
  ModuleTargets,
} from '@internal/plugin-environments-node';

export type { LoadedModule, ModuleProblem, ModuleTargets };
export { MANIFEST_FILE, targetValue } from '@internal/plugin-environments-node';

/**
 * The approved modules: every `<modulesDir>/<folder>/paved-module.yaml`,
 * read at start and again when a file under the folder changes. A broken
 * manifest keeps only its own module out, with the problem logged and
 * kept for the catalog; every other module stays available.
 */
export class ModuleRegistry {
  private modules = new Map<string, LoadedModule>();
  private problemList: ModuleProblem[] = [];
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly options: {
      modulesDir: string;
      targets: ModuleTargets;
      logger: LoggerService;
    },
  ) {
    this.reload();
  }

  /** Reads every manifest again. */
  reload() {
    const { modulesDir, targets, logger } = this.options;
    const started = Date.now();
    const modules = new Map<string, LoadedModule>();
    const problems: ModuleProblem[] = [];
    let folders: string[] = [];
    try {
      folders = fs
        .readdirSync(modulesDir, { withFileTypes: true })
        .filter(d => d.isDirectory())
        .map(d => d.name)
        .sort();
    } catch (error) {
      problems.push({
        file: modulesDir,
        message: `the modules folder cannot be read: ${
          (error as Error).message
        }`,
      });
    }
    for (const folder of folders) {
      const dir = path.join(modulesDir, folder);
      const file = path.join(folder, MANIFEST_FILE);
      if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
        problems.push({
          file,
          message: `missing: the module in ${folder}/ is not offered until it has a ${MANIFEST_FILE}`,
        });
        continue;
      }
      const result = checkManifest(dir, file, targets);
      problems.push(...result.problems);
      if (!result.module) continue;
      const taken = modules.get(result.module.name);
      if (taken) {
        problems.push({
          file,
          name: result.module.name,
          message: `metadata.name: "${result.module.name}" is already the name of ${taken.folder}/${MANIFEST_FILE}`,
        });
        continue;
      }
      modules.set(result.module.name, result.module);
    }
    for (const p of problems) {
      logger.error(`Module manifest ${p.file} refused: ${p.message}`);
    }
    logger.info(
      `Approved modules (${folders.length} folders read in ${
        Date.now() - started
      } ms): ${
        [...modules.values()]
          .map(m => `${m.name} ${m.manifest.metadata.version}`)
          .join(', ') || 'none'
      }`,
    );
    this.modules = modules;
    this.problemList = problems;
    for (const listener of this.listeners) listener();
  }

  /** Reloads when a file under the modules folder changes (debounced). */
  watch() {
    if (this.watcher) return;
    try {
      this.watcher = fs.watch(
        this.options.modulesDir,
        { recursive: true, persistent: false },
        () => {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.reload(), 300);
        },
      );
    } catch (error) {
      this.options.logger.warn(
        `Not watching ${this.options.modulesDir} for changes: ${
          (error as Error).message
        }`,
      );
    }
  }

  close() {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Called after every reload. */
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): LoadedModule[] {
    return [...this.modules.values()];
  }

  get(name: string): LoadedModule | undefined {
    return this.modules.get(name);
  }

  problems(): ModuleProblem[] {
    return this.problemList;
  }

  /** Why the manifest of a building block was refused, if it was. */
  problemOf(name: string): string | undefined {
    const problem = this.problemList.find(p => p.name === name);
    return problem && `${problem.file}: ${problem.message}`;
  }

  get targets() {
    return this.options.targets;
  }
}
