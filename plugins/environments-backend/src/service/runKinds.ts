import {
  CredentialCheck,
  PlanSummary,
  RunKind,
} from '@internal/plugin-environments-common';
import { RunCompletion } from '../database/EnvironmentStore';
import { EnvironmentRow, RunRow } from '../database/tables';
import { SavedPlan, TerraformSteps } from '../terraform/TerraformSteps';
import { LoadedModule } from '../modules/ModuleRegistry';
import { buildCredentials } from '../terraform/rootModule';

/** What a run kind works with, prepared by the executor. */
export type RunContext = {
  run: RunRow;
  env: EnvironmentRow;
  /** The modules of its building blocks, with their manifests. */
  modules: LoadedModule[];
  passwords: Partial<Record<string, string>>;
  steps: TerraformSteps;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Seconds since the run started, for the closing line. */
  elapsed: () => string;
  now: () => string;
  /** The root module's outputs after an apply, without sensitive ones. */
  readOutputs: (
    summary?: PlanSummary,
  ) => Promise<Record<string, string | number | boolean>>;
  /** The environment's credentials as they are sealed in the database. */
  storedCredentials: () => Record<string, string>;
  seal: (credentials: Record<string, string>) => string;
  checkCredentials: (
    credentials: Record<string, string>,
  ) => Promise<CredentialCheck[]>;
  dropState: () => Promise<void>;
  /**
   * Guardrails after a plan with changes, before its apply: returns when it
   * may go on, throws RunHeld when it waits for approval or is stopped.
   */
  gate: (saved: SavedPlan) => Promise<void>;
  /** Records the policy results and cost of a plan that is only shown. */
  checkPlan: (summary?: PlanSummary) => Promise<void>;
  /** The plan its approvers approved, restored as tfplan: apply exactly that. */
  approved?: SavedPlan;
};

/** One kind of run: its Terraform steps and what it does to the environment. */
export type RunKindHandler = (ctx: RunContext) => Promise<RunCompletion>;

const planJson = (summary?: PlanSummary) =>
  summary ? JSON.stringify(summary) : null;

/**
 * Connects with every credential and logs what happened: an environment
 * whose credentials do not work is `degraded`, never `ready`.
 */
async function checkedHealth(
  ctx: RunContext,
  credentials: Record<string, string>,
): Promise<Partial<EnvironmentRow>> {
  const checks = await ctx.checkCredentials(credentials);
  for (const check of checks) {
    ctx.log(check.ok ? 'info' : 'error', `Credential check ${check.message}`);
  }
  const failed = checks.filter(c => !c.ok);
  return {
    status: failed.length ? 'degraded' : 'ready',
    checks: JSON.stringify(checks),
    checked_at: ctx.now(),
  };
}

const plan: RunKindHandler = async ctx => {
  const { summary } = await ctx.steps.plan(false);
  await ctx.checkPlan(summary);
  return { status: 'succeeded', plan: planJson(summary), environment: {} };
};

const planDestroy: RunKindHandler = async ctx => {
  const { summary } = await ctx.steps.plan(true);
  await ctx.checkPlan(summary);
  return { status: 'succeeded', plan: planJson(summary), environment: {} };
};

/** The approved plan, or a new one past the guardrails, applied. */
const planned = (ctx: RunContext, destroy: boolean) =>
  ctx.approved
    ? ctx.steps.applySaved(ctx.approved)
    : ctx.steps.planAndApply(destroy, ctx.gate);

/** A scheduled check: does the infrastructure still match, and still work? */
const drift: RunKindHandler = async ctx => {
  const { summary, hasChanges } = await ctx.steps.plan(false);
  const environment: Partial<EnvironmentRow> = {
    drift: hasChanges ? 'drifted' : 'in-sync',
    drift_checked_at: ctx.now(),
  };
  if (['ready', 'degraded'].includes(ctx.env.status)) {
    Object.assign(
      environment,
      await checkedHealth(ctx, ctx.storedCredentials()),
    );
  }
  return { status: 'succeeded', plan: planJson(summary), environment };
};

const apply: RunKindHandler = async ctx => {
  const { summary } = await planned(ctx, false);
  const outputs = await ctx.readOutputs(summary);
  const credentials = buildCredentials(ctx.modules, outputs, ctx.passwords);
  const health = await checkedHealth(ctx, credentials);
  ctx.log('info', `Applied in ${ctx.elapsed()}s`);
  return {
    status: 'succeeded',
    plan: planJson(summary),
    environment: {
      ...health,
      drift: 'in-sync',
      drift_checked_at: ctx.now(),
      outputs: JSON.stringify(shownOutputs(ctx.modules, outputs)),
      sensitive_outputs: ctx.seal(credentials),
      // The versions it now runs on; their files were kept before the apply.
      applied_modules: JSON.stringify(
        Object.fromEntries(ctx.modules.map(m => [m.name, m.manifest])),
      ),
    },
  };
};

/** The outputs the manifests mark as shown. */
function shownOutputs(
  modules: LoadedModule[],
  outputs: Record<string, string | number | boolean>,
) {
  const shown = new Set(
    modules.flatMap(m =>
      m.manifest.spec.outputs
        .filter(o => o.shown)
        .map(o => `${m.name}_${o.name}`),
    ),
  );
  return Object.fromEntries(
    Object.entries(outputs).filter(([key]) => shown.has(key)),
  );
}

const destroy: RunKindHandler = async ctx => {
  const { summary } = await planned(ctx, true);
  await ctx.dropState();
  ctx.log('info', `Destroyed in ${ctx.elapsed()}s`);
  return {
    status: 'succeeded',
    plan: planJson(summary),
    environment: {
      status: 'destroyed',
      destroyed_at: ctx.now(),
      destroyed_by: ctx.run.requested_by,
      outputs: '{}',
      sensitive_outputs: null,
      checks: null,
    },
  };
};

/** Every run kind, each a small piece; a new kind is a new entry. */
export const RUN_KINDS: Record<RunKind, RunKindHandler> = {
  plan,
  'plan-destroy': planDestroy,
  drift,
  apply,
  destroy,
};

/** What the environment is while a run of this kind is in progress. */
export const STATUS_WHILE_RUNNING: Partial<Record<RunKind, string>> = {
  apply: 'provisioning',
  destroy: 'destroying',
};

/**
 * What the environment is after a run of this kind ended without
 * finishing. An interrupted destroy may have removed part of what the state
 * still lists, so it can only be resumed (or overridden by the platform).
 */
export function statusAfterUnfinished(
  kind: string,
  outcome: 'failed' | 'interrupted',
): string | undefined {
  if (kind !== 'apply' && kind !== 'destroy') return undefined;
  if (outcome === 'failed') return 'failed';
  return kind === 'destroy' ? 'destroy-interrupted' : 'interrupted';
}
