import { PlanSummary } from '@internal/plugin-environments-common';
import { errorText } from '../terraform/progress';
import { TerraformCli, TerraformResult } from '../terraform/TerraformCli';
import type { SavedPlan } from '../terraform/TerraformSteps';
import type { GateDecision } from '../guardrails/Guardrails';

/** A run that ended in Terraform's error, with the plan it had made. */
export class RunFailure extends Error {
  constructor(message: string, readonly plan?: PlanSummary) {
    super(message);
  }
}

/** How a run kind reads in its log. */
export function describeKind(kind: string) {
  return (
    {
      apply: 'Apply',
      destroy: 'Destroy',
      plan: 'Plan',
      'plan-destroy': 'Destroy plan',
      drift: 'Drift check',
    }[kind] ?? kind
  );
}

/** `component:default/payments-api` → `payments-api`. */
export function serviceName(ref: string) {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The tail of a command's text output, for an error. */
export function textError(result: TerraformResult, fallback: string) {
  const tail = result.text.slice(-15).join('\n').trim();
  return tail ? `${fallback}:\n${tail}` : fallback;
}

/** A -json command's error diagnostics, or its text output. */
export function jsonError(
  result: TerraformResult,
  cli: TerraformCli,
  fallback: string,
) {
  if (cli.wasInterrupted) return 'interrupted';
  return errorText(result.messages) || textError(result, fallback);
}

/**
 * The values of `terraform output -json`. A sensitive output is left out:
 * credentials are built by the plugin, never taken from Terraform.
 */
export function outputValues(json: string) {
  const parsed = JSON.parse(json || '{}') as Record<
    string,
    { sensitive?: boolean; value: unknown }
  >;
  const values: Record<string, string | number | boolean> = {};
  for (const [name, output] of Object.entries(parsed)) {
    if (output.sensitive) continue;
    values[name] = ['string', 'number', 'boolean'].includes(typeof output.value)
      ? (output.value as string | number | boolean)
      : JSON.stringify(output.value);
  }
  return values;
}

/**
 * A plan the guardrails stopped before its apply: it waits for approval
 * (its plan file is kept, sealed) or a policy blocked it.
 */
export class RunHeld extends Error {
  constructor(readonly decision: GateDecision, readonly saved: SavedPlan) {
    super(decision.message ?? 'Held by the guardrails');
  }
}
