import { PlanSummary } from '@internal/plugin-environments-common';
import { jsonError, RunFailure, textError } from '../service/runOutcome';
import { PlanCollector } from './progress';
import { TerraformCli, TerraformResult } from './TerraformCli';

/**
 * Errors of the state backend's or a module's database connection that go
 * away by themselves: a server out of connection slots, or restarting.
 */
const TRANSIENT = [
  /too many clients already/i,
  /remaining connection slots are reserved/i,
  /connection reset by peer/i,
  /\bECONNRESET\b/,
  /server closed the connection unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** Whether a failed command failed for a reason that a retry can outlast. */
export function isTransient(result: TerraformResult) {
  const text = [
    ...result.text,
    ...result.messages.map(
      m => `${m['@message'] ?? ''} ${m.diagnostic?.detail ?? ''}`,
    ),
  ].join('\n');
  return TRANSIENT.some(pattern => pattern.test(text));
}

/** How often and how patiently a step is retried after a transient error. */
export type RetryPolicy = { attempts: number; firstDelayMs: number };

/** A plan that was made and saved as `tfplan`. */
export type SavedPlan = { summary?: PlanSummary; hasChanges: boolean };

/**
 * The Terraform commands of a run, in order: init, plan (saved), apply of
 * that saved plan. A step that fails on a transient database error (the
 * state backend or a module's server out of connections) is retried with
 * backoff; an apply that fails so is re-planned first, as the state may
 * have moved.
 */
export class TerraformSteps {
  /** Apply-time messages repeat the plan's changes: the summary keeps the plan's. */
  applying = false;

  constructor(
    private readonly options: {
      cli: TerraformCli;
      lockTimeoutSeconds: number;
      plan: PlanCollector;
      retry: RetryPolicy;
      /** A line for the run log. */
      log: (level: 'info' | 'warn', message: string) => void;
    },
  ) {}

  private get lock() {
    return `-lock-timeout=${this.options.lockTimeoutSeconds}s`;
  }

  async init() {
    const init = await this.retrying('terraform init', () =>
      this.options.cli.run(['init', '-input=false', '-no-color', this.lock]),
    );
    if (init.exitCode !== 0) {
      throw new RunFailure(textError(init, 'terraform init failed'));
    }
    this.options.log(
      'info',
      'Initialized the working directory and state backend',
    );
  }

  /** `plan -out=tfplan`; exit code 2 of -detailed-exitcode means changes. */
  async plan(destroy: boolean): Promise<SavedPlan> {
    const { cli, plan } = this.options;
    this.applying = false;
    plan.reset();
    const result = await this.retrying(
      'terraform plan',
      () =>
        cli.run([
          'plan',
          '-input=false',
          '-json',
          this.lock,
          '-detailed-exitcode',
          '-out=tfplan',
          ...(destroy ? ['-destroy'] : []),
        ]),
      r => r.exitCode !== 0 && r.exitCode !== 2,
    );
    if (result.exitCode !== 0 && result.exitCode !== 2) {
      throw new RunFailure(jsonError(result, cli, 'terraform plan failed'));
    }
    return { summary: plan.summary(), hasChanges: result.exitCode === 2 };
  }

  /**
   * Plans and applies that plan. A transient failure of the apply re-plans
   * (what was applied before the failure is in the state) and applies again.
   */
  async planAndApply(
    destroy: boolean,
    beforeApply?: (saved: SavedPlan) => Promise<void>,
  ): Promise<SavedPlan> {
    const { cli, retry, log } = this.options;
    for (let attempt = 1; ; attempt++) {
      const saved = await this.plan(destroy);
      if (!saved.hasChanges) {
        log('info', 'No changes: the infrastructure matches the configuration');
        return saved;
      }
      await beforeApply?.(saved);
      const apply = await this.applyFile();
      if (apply.exitCode === 0) {
        return saved;
      }
      if (
        attempt < retry.attempts &&
        !cli.wasInterrupted &&
        isTransient(apply)
      ) {
        await this.backoff('terraform apply', attempt);
        continue;
      }
      throw new RunFailure(
        jsonError(apply, cli, 'terraform apply failed'),
        saved.summary,
      );
    }
  }

  /**
   * Applies a plan saved earlier (an approved one) as it is: never
   * re-planned, so what was approved is what is applied. Terraform refuses
   * it if the state changed since the plan.
   */
  async applySaved(saved: SavedPlan): Promise<SavedPlan> {
    const { cli } = this.options;
    const apply = await this.applyFile();
    if (apply.exitCode !== 0) {
      throw new RunFailure(
        jsonError(apply, cli, 'terraform apply of the approved plan failed'),
        saved.summary,
      );
    }
    return saved;
  }

  /** `terraform apply` of the saved plan file, `tfplan`. */
  private applyFile() {
    this.applying = true;
    return this.options.cli.run([
      'apply',
      '-input=false',
      '-json',
      this.lock,
      'tfplan',
    ]);
  }

  /** Runs a command again while it fails transiently. */
  private async retrying(
    what: string,
    command: () => Promise<TerraformResult>,
    failed: (result: TerraformResult) => boolean = r => r.exitCode !== 0,
  ) {
    for (let attempt = 1; ; attempt++) {
      const result = await command();
      if (
        !failed(result) ||
        attempt >= this.options.retry.attempts ||
        this.options.cli.wasInterrupted ||
        !isTransient(result)
      ) {
        return result;
      }
      await this.backoff(what, attempt);
    }
  }

  private async backoff(what: string, attempt: number) {
    const delay = this.options.retry.firstDelayMs * 2 ** (attempt - 1);
    this.options.log(
      'warn',
      `${what} hit a database that is out of connections or restarting; trying again in ${(
        delay / 1000
      ).toFixed(0)}s (attempt ${attempt + 1} of ${
        this.options.retry.attempts
      })`,
    );
    await new Promise(resolve => setTimeout(resolve, delay));
  }
}
