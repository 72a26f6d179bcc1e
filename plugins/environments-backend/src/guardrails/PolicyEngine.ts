import { readFile, stat } from 'node:fs/promises';
import { Engine, TopLevelCondition } from 'json-rules-engine';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  PolicyLevel,
  PolicyResult,
} from '@internal/plugin-environments-common';

/**
 * What the rules see of a run: the request, its plan and its cost. Rules
 * read nested values with json-rules-engine's `path`, e.g.
 * `{ fact: plan, path: $.remove, operator: greaterThan, value: 0 }`.
 */
export type PolicyFacts = {
  kind: string;
  service: string;
  owner: string;
  environment: string;
  protected: boolean;
  size: string;
  resources: string[];
  /** Hours from now until the environment expires. */
  ttlHours: number;
  /** Whether this run makes the environment (its first apply). */
  creating: boolean;
  plan: {
    add: number;
    change: number;
    remove: number;
    resources: number;
    /** The building blocks with a resource the plan deletes or replaces. */
    removedModules: string[];
  };
  cost: {
    monthly: number;
    delta: number;
    teamMonthly: number;
    budget?: number;
    overBudget: boolean;
  };
  /** Live environments of the owning group, this one included. */
  teamEnvironments: number;
  /** When the run is checked (UTC): hour 0-23, weekday 0 (Sunday) to 6. */
  time: { hour: number; weekday: number };
};

const conditionSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema) }).loose(),
    z.object({ any: z.array(conditionSchema) }).loose(),
    z.object({ not: conditionSchema }).loose(),
    z
      .object({
        fact: z.string(),
        operator: z.string(),
        value: z.unknown(),
        path: z.string().optional(),
      })
      .loose(),
  ]),
);

const ruleSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case words joined by -'),
  level: z.enum(['advisory', 'soft', 'hard']),
  /** Shown on the run when the rule is broken: say why, and what to do. */
  explanation: z.string().min(1),
  /** json-rules-engine conditions under which the rule is broken. */
  when: conditionSchema.refine(
    c =>
      typeof c === 'object' &&
      c !== null &&
      ['all', 'any', 'not'].some(key => key in c),
    'must start with all, any or not',
  ),
});

const fileSchema = z.object({ rules: z.array(ruleSchema) });

export type PolicyRule = z.infer<typeof ruleSchema>;

/** Facts with every field set, to try each rule once when it is loaded. */
const SAMPLE: PolicyFacts = {
  kind: 'apply',
  service: 'component:default/sample',
  owner: 'group:default/sample',
  environment: 'dev',
  protected: false,
  size: 'small',
  resources: [],
  ttlHours: 1,
  creating: true,
  plan: { add: 0, change: 0, remove: 0, resources: 0, removedModules: [] },
  cost: { monthly: 0, delta: 0, teamMonthly: 0, overBudget: false },
  teamEnvironments: 1,
  time: { hour: 0, weekday: 0 },
};

/** The rules, or why they could not be read. */
export type LoadedPolicies =
  | { ok: true; rules: PolicyRule[]; source?: string }
  | { ok: false; error: string; source: string };

/**
 * The policy rules of the organization, read from their YAML file. The file
 * is read again when it changes, so a fix takes effect without a restart; a
 * broken file is reported, never half used.
 */
export class PolicyEngine {
  private cache?: { mtimeMs: number; size: number; loaded: LoadedPolicies };

  constructor(private readonly file?: string) {}

  async load(): Promise<LoadedPolicies> {
    const file = this.file;
    if (!file) return { ok: true, rules: [] };
    try {
      const info = await stat(file);
      if (
        this.cache?.mtimeMs === info.mtimeMs &&
        this.cache.size === info.size
      ) {
        return this.cache.loaded;
      }
      const loaded = await this.read(file);
      this.cache = { mtimeMs: info.mtimeMs, size: info.size, loaded };
      return loaded;
    } catch (error) {
      return {
        ok: false,
        error: `${file} cannot be read: ${(error as Error).message}`,
        source: file,
      };
    }
  }

  private async read(file: string): Promise<LoadedPolicies> {
    let document: unknown;
    try {
      document = parse(await readFile(file, 'utf8'));
    } catch (error) {
      return {
        ok: false,
        error: `${file} is not valid YAML: ${(error as Error).message}`,
        source: file,
      };
    }
    const parsed = fileSchema.safeParse(document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        error: `${file}: ${issue.path.join('.') || 'the file'}: ${
          issue.message
        }`,
        source: file,
      };
    }
    const names = new Set<string>();
    for (const [index, rule] of parsed.data.rules.entries()) {
      if (names.has(rule.name)) {
        return {
          ok: false,
          error: `${file}: rules.${index}: a second rule named ${rule.name}`,
          source: file,
        };
      }
      names.add(rule.name);
      // Unknown operators and malformed conditions show only when evaluated.
      try {
        await evaluate([rule], SAMPLE);
      } catch (error) {
        return {
          ok: false,
          error: `${file}: rule ${rule.name}: ${(error as Error).message}`,
          source: file,
        };
      }
    }
    return { ok: true, rules: parsed.data.rules, source: file };
  }
}

/** Checks every rule against the facts: a rule whose `when` holds is broken. */
export async function evaluate(
  rules: PolicyRule[],
  facts: PolicyFacts,
): Promise<PolicyResult[]> {
  if (rules.length === 0) return [];
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const rule of rules) {
    engine.addRule({
      name: rule.name,
      conditions: rule.when as TopLevelCondition,
      event: { type: rule.name },
    });
  }
  const { results } = await engine.run({ ...facts });
  const broken = new Set(results.map(r => r.name));
  return rules.map(rule => ({
    rule: rule.name,
    level: rule.level as PolicyLevel,
    passed: !broken.has(rule.name),
    explanation: rule.explanation,
  }));
}
