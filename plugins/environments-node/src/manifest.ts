import { z } from 'zod';

/** A module variable's or an output's name, as Terraform allows it. */
const NAME = /^[a-z][a-z0-9_]*$/;
const value = z.union([z.string(), z.number(), z.boolean()]);

const environmentInput = z
  .object({
    from: z.literal('environment'),
    field: z.enum(['service', 'environment', 'size']),
  })
  .strict()
  .describe("The environment's service name, environment name or size");
const targetInput = z
  .object({
    from: z.literal('target'),
    target: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
    field: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
    default: value.optional(),
    secret: z
      .boolean()
      .optional()
      .describe('Passed as TF_VAR_*, never in a file'),
  })
  .strict()
  .describe('A field of a server in paved.environments.targets.<target>');
const secretInput = z
  .object({ from: z.literal('secret') })
  .strict()
  .describe(
    'A password the portal generates for each environment and seals; at most one per module',
  );
const sizeInput = z
  .object({
    from: z.literal('size'),
    values: z.object({ small: value, medium: value, large: value }).strict(),
  })
  .strict()
  .describe('A value per environment size, e.g. a connection limit');
const formInput = z
  .object({
    from: z.literal('form'),
    type: z.enum(['string', 'integer', 'number', 'boolean']),
    title: z.string().min(1),
    description: z.string().optional(),
    enum: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    default: value.optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    maxLength: z.number().int().positive().optional(),
    pattern: z.string().optional(),
  })
  .strict()
  .describe('What the developer enters when asking for the environment');

export const moduleInputSchema = z.discriminatedUnion('from', [
  environmentInput,
  targetInput,
  secretInput,
  sizeInput,
  formInput,
]);

/** `paved-module.yaml`: what Paved needs to offer a Terraform module. */
export const moduleManifestSchema = z
  .object({
    apiVersion: z.literal('paved.dev/v1alpha1'),
    kind: z.literal('TerraformModule'),
    metadata: z
      .object({
        name: z
          .string()
          .regex(/^[a-z][a-z0-9]{0,19}$/)
          .describe(
            "The building block's id: lowercase letters and digits, at most 20",
          ),
        title: z.string().min(1),
        description: z.string().min(1),
        owner: z.string().min(1).describe('Entity ref of the owning group'),
        version: z
          .string()
          .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/)
          .describe('Semantic version, e.g. 1.2.0'),
      })
      .strict(),
    spec: z
      .object({
        resourceType: z
          .string()
          .min(1)
          .describe('The catalog Resource type, e.g. database'),
        inputs: z.record(z.string().regex(NAME), moduleInputSchema),
        outputs: z
          .array(
            z
              .object({
                name: z.string().regex(NAME),
                shown: z.boolean().default(true),
              })
              .strict(),
          )
          .min(1),
        credentials: z
          .record(z.string().regex(NAME), z.string().min(1))
          .describe(
            'Credential templates: {output} percent-encoded, {output|host} a URL host, {output|raw} as it is; the secret input by its name',
          ),
        destroyEnvironment: z
          .record(
            z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
            z
              .object({
                target: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
                field: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
              })
              .strict(),
          )
          .optional()
          .describe(
            "Environment variables for the module's destroy-time commands, from target fields",
          ),
      })
      .strict(),
  })
  .strict();

export type ModuleManifest = z.infer<typeof moduleManifestSchema>;
export type ModuleInput = z.infer<typeof moduleInputSchema>;
export type FormInput = z.infer<typeof formInput>;

/** The JSON Schema of paved-module.yaml, as shipped in schema/. */
export function moduleManifestJsonSchema() {
  return {
    ...z.toJSONSchema(moduleManifestSchema, { io: 'input' }),
    $id: 'https://paved.dev/schema/paved-module.schema.json',
    title: 'Paved Terraform module manifest (paved-module.yaml)',
  };
}

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)(?:\|(host|raw))?\}/g;

/** The names a credential template refers to. */
export function placeholders(template: string) {
  return [...template.matchAll(PLACEHOLDER)].map(m => m[1]);
}

/**
 * Fills a credential template: `{name}` percent-encoded, `{name|host}` as a
 * URL host (IPv6 in brackets), `{name|raw}` as it is.
 */
export function fillTemplate(
  template: string,
  values: Record<string, unknown>,
) {
  return template.replace(PLACEHOLDER, (_, name: string, filter?: string) => {
    const v = String(values[name] ?? '');
    if (filter === 'raw') return v;
    if (filter === 'host') return v.includes(':') ? `[${v}]` : v;
    return encodeURIComponent(v);
  });
}
