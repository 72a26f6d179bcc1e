import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ModuleManifest, moduleManifestSchema, placeholders } from './manifest';

export const MANIFEST_FILE = 'paved-module.yaml';

/** The servers the modules provision on: paved.environments.targets. */
export type ModuleTargets = Record<
  string,
  Record<string, string | number | boolean>
>;

/** An approved module whose manifest is valid. */
export type LoadedModule = {
  /** The building block's id (metadata.name). */
  name: string;
  manifest: ModuleManifest;
  /** Its folder under the modules directory. */
  folder: string;
  /** The folder's absolute path. */
  dir: string;
};

/** A manifest that was refused, and why. */
export type ModuleProblem = {
  /** The manifest, relative to the modules directory. */
  file: string;
  /** The building block it would have been, if that much could be read. */
  name?: string;
  message: string;
};

/** The names a module's Terraform files declare with `<kind> "<name>"`. */
function declared(dir: string, kind: 'variable' | 'output') {
  const names = new Set<string>();
  const pattern = new RegExp(`^\\s*${kind}\\s+"([^"]+)"`, 'gm');
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith('.tf')) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const match of text.matchAll(pattern)) names.add(match[1]);
  }
  return names;
}

/** The value of a target field, from config or the manifest's default. */
export function targetValue(
  targets: ModuleTargets,
  input: { target: string; field: string; default?: string | number | boolean },
) {
  return targets[input.target]?.[input.field] ?? input.default;
}

/**
 * Reads and checks one manifest. Returns the module, or the problems that
 * keep it out, each naming the field.
 */
export function checkManifest(
  dir: string,
  file: string,
  /** The configured servers; without them, target fields are not checked. */
  targets?: ModuleTargets,
): { module?: LoadedModule; problems: ModuleProblem[] } {
  const problem = (message: string, name?: string) => ({
    problems: [{ file, name, message }],
  });
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    return problem(`cannot be read: ${(error as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    return problem(`YAML error: ${doc.errors[0].message}`);
  }
  const parsed = moduleManifestSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map(issue => ({
        file,
        message: `${issue.path.join('.') || '(the document)'}: ${
          issue.message
        }`,
      })),
    };
  }
  const manifest = parsed.data;
  const name = manifest.metadata.name;
  const problems: string[] = [];
  const variables = declared(dir, 'variable');
  const outputs = declared(dir, 'output');
  const secrets: string[] = [];
  for (const [input, spec] of Object.entries(manifest.spec.inputs)) {
    if (!variables.has(input)) {
      problems.push(
        `spec.inputs.${input}: the module declares no variable "${input}"`,
      );
    }
    if (spec.from === 'secret') secrets.push(input);
    if (
      targets &&
      spec.from === 'target' &&
      targetValue(targets, spec) === undefined
    ) {
      problems.push(
        `spec.inputs.${input}: paved.environments.targets.${spec.target}.${spec.field} is not set, and the manifest gives no default`,
      );
    }
    if (
      spec.from === 'form' &&
      spec.minimum !== undefined &&
      spec.maximum !== undefined &&
      spec.minimum > spec.maximum
    ) {
      problems.push(`spec.inputs.${input}: minimum is above maximum`);
    }
    if (spec.from === 'form' && spec.pattern !== undefined) {
      try {
        RegExp(spec.pattern);
      } catch (error) {
        problems.push(
          `spec.inputs.${input}.pattern: not a regular expression (${
            (error as Error).message
          })`,
        );
      }
    }
  }
  if (secrets.length > 1) {
    problems.push(
      `spec.inputs: at most one input may come from a secret, not ${secrets.join(
        ', ',
      )}`,
    );
  }
  manifest.spec.outputs.forEach((output, i) => {
    if (!outputs.has(output.name)) {
      problems.push(
        `spec.outputs.${i}.name: the module declares no output "${
          output.name
        }" (it declares ${[...outputs].join(', ') || 'none'})`,
      );
    }
  });
  const known = new Set([
    ...manifest.spec.outputs.map(o => o.name),
    ...secrets,
  ]);
  for (const [credential, template] of Object.entries(
    manifest.spec.credentials,
  )) {
    for (const used of placeholders(template)) {
      if (!known.has(used)) {
        problems.push(
          `spec.credentials.${credential}: {${used}} is neither an output in spec.outputs nor the secret input`,
        );
      }
    }
  }
  if (problems.length) {
    return { problems: problems.map(message => ({ file, name, message })) };
  }
  return {
    module: { name, manifest, folder: path.basename(dir), dir },
    problems: [],
  };
}
