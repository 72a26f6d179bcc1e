import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CredentialCheck,
  PlanSummary,
  RunGate,
  RunKind,
} from '@internal/plugin-environments-common';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModuleManifest } from '@internal/plugin-environments-node';
import {
  LoadedModule,
  ModuleRegistry,
  targetValue,
} from '../modules/ModuleRegistry';
import { EnvironmentsConfig } from '../config';
import { EnvironmentStore, RunCompletion } from '../database/EnvironmentStore';
import { EnvironmentRow, RunRow } from '../database/tables';
import {
  describeMessage,
  PlanCollector,
  TerraformJsonMessage,
} from '../terraform/progress';
import { buildRootModule, StateBackend } from '../terraform/rootModule';
import { TerraformCli } from '../terraform/TerraformCli';
import { SavedPlan, TerraformSteps } from '../terraform/TerraformSteps';
import { GateStore } from '../database/GateStore';
import { GateDecision, Guardrails, storedGate } from '../guardrails/Guardrails';
import { checkCredentials } from './credentialChecks';
import {
  RUN_KINDS,
  statusAfterUnfinished,
  STATUS_WHILE_RUNNING,
} from './runKinds';
import { SecretBox } from './SecretBox';
import { EventWriter } from './EventWriter';
import {
  describeKind,
  RunFailure,
  RunHeld,
  serviceName,
  outputValues,
  textError,
} from './runOutcome';

export { serviceName };

/** Where Terraform keeps state: the portal's PostgreSQL, or files. */
export type StateStorage =
  | {
      type: 'pg';
      connectionString: string;
      dropSchema?: (s: string) => Promise<void>;
      /** The state document, read straight from its schema. */
      readState?: (s: string) => Promise<string | undefined>;
    }
  | { type: 'local'; dir: string };

type Deps = {
  config: EnvironmentsConfig;
  store: EnvironmentStore;
  secrets: SecretBox;
  logger: LoggerService;
  state: StateStorage;
  now: () => Date;
  /** The approved modules, from their manifests. */
  modules: ModuleRegistry;
  /** Connects with an environment's credentials (tests may stand in). */
  checkCredentials?: (
    credentials: Record<string, string>,
  ) => Promise<CredentialCheck[]>;
  guardrails: Guardrails;
  gates: GateStore;
  /** A plan now waits for approval, or a policy stopped it. */
  onHeld?: (
    run: RunRow,
    env: EnvironmentRow,
    decision: GateDecision,
  ) => Promise<void>;
  /** A run ended (recorded). */
  onFinished?: (
    run: RunRow,
    env: EnvironmentRow,
    completion: RunCompletion,
  ) => Promise<void>;
};

const sha256 = (data: Buffer) =>
  createHash('sha256').update(data).digest('hex');

/** A policy result as a line of the run log. */
function policyLine(gate: RunGate) {
  const broken = gate.policy.filter(p => !p.passed);
  return `Policies: ${gate.policy.length - broken.length} of ${
    gate.policy.length
  } rule(s) passed${
    gate.policyMs !== undefined ? ` (checked in ${gate.policyMs} ms)` : ''
  }${
    broken.length
      ? `; broken: ${broken.map(p => `${p.rule} (${p.level})`).join(', ')}`
      : ''
  }`;
}

function costLine(gate: RunGate) {
  const c = gate.cost;
  if (!c) return undefined;
  const money = (n: number) => n.toFixed(2);
  return `Cost: ${money(c.before)} → ${money(c.after)} ${c.currency} a month (${
    c.delta >= 0 ? '+' : ''
  }${money(c.delta)}); the team's environments ${money(c.teamMonthly)} a month${
    c.budget !== undefined ? ` of a budget of ${money(c.budget)}` : ''
  }`;
}

const iso = (d: Date) => d.toISOString();

/**
 * Executes one claimed run: writes the environment's root module into a
 * fresh working directory, initializes it, and hands over to the run kind
 * (runKinds.ts), which plans, applies and says what became of the
 * environment. Every step is recorded as progress lines; a run that cannot
 * finish says why, and its folder (a saved plan holds secrets) goes.
 */
export class RunExecutor {
  constructor(private readonly deps: Deps) {}

  stateBackend(env: Pick<EnvironmentRow, 'state_key'>): StateBackend {
    return this.deps.state.type === 'pg'
      ? { type: 'pg', schemaName: env.state_key }
      : { type: 'local', path: join(this.deps.state.dir, env.state_key) };
  }

  /** The run's working folder; it holds the saved plan, secrets included. */
  workDir(runId: string) {
    return join(this.deps.config.dataDir, 'runs', runId);
  }

  /** Removes the working folder of a run that will not go on. */
  async removeWorkDir(runId: string) {
    await rm(this.workDir(runId), { recursive: true, force: true });
  }

  async execute(
    run: RunRow,
    env: EnvironmentRow,
    onCli: (cli: TerraformCli) => void,
  ): Promise<void> {
    const { store, config, logger } = this.deps;
    const started = Date.now();
    const log = logger.child({ environment: env.id, run: run.id });
    const events = new EventWriter(
      store,
      run.id,
      () => Date.now() - started,
      error => log.warn(`Could not record progress lines: ${error}`),
      // An approved run goes on with the log of its plan.
      run.approved_at ? await store.lastEventSeq(run.id) : 0,
    );
    // What the guardrails said of this run's plan, recorded with it.
    let gate: RunGate | undefined;
    const end = async (completion: RunCompletion) => {
      await events.close();
      const ended = await this.finish(run, {
        ...completion,
        gate: completion.gate ?? (gate ? storedGate(gate) : undefined),
      });
      if (ended) {
        await this.deps
          .onFinished?.(run, env, completion)
          .catch(error =>
            log.warn(`Could not report the end of the run: ${error}`),
          );
      }
    };
    const checked = async (summary?: PlanSummary) => {
      const decision = await this.deps.guardrails.check(
        run,
        env,
        summary,
        run.gate ? (JSON.parse(run.gate) as RunGate).override : undefined,
      );
      gate = decision.gate;
      if (gate.policyError) {
        events.push('error', `Policies cannot be checked: ${gate.policyError}`);
      } else if (gate.policy.length) {
        events.push('info', policyLine(gate));
        for (const p of gate.policy.filter(r => !r.passed)) {
          events.push(
            p.level === 'advisory' ? 'warn' : 'error',
            `Policy ${p.rule} (${p.level}): ${p.explanation}`,
          );
        }
      }
      const cost = costLine(gate);
      if (cost) events.push('info', cost);
      return decision;
    };

    if (env.status === 'destroyed') {
      const error = 'The environment was destroyed before this run started.';
      events.push('error', error);
      await end({ status: 'failed', error, environment: {} });
      return;
    }

    const plan = new PlanCollector();
    let cli: TerraformCli | undefined;
    try {
      const running = STATUS_WHILE_RUNNING[run.kind as RunKind];
      if (running) {
        await store.updateEnvironment(env.id, { status: running });
      }
      const resources = JSON.parse(env.resources) as string[];
      const modules = this.modulesFor(run, env, resources);
      const passwords = this.deps.secrets.open<Partial<Record<string, string>>>(
        env.secret_inputs,
      );
      const root = await this.writeRootModule(run, env, modules, passwords);
      // The CLI reports messages to the steps it runs, made just below.
      const current: { steps?: TerraformSteps } = {};
      cli = new TerraformCli({
        binary: config.terraformBinary,
        cwd: this.workDir(run.id),
        env: this.terraformEnv(root.secretEnv, modules),
        onMessage: (m: TerraformJsonMessage) => {
          const applying = current.steps?.applying;
          if (applying && m.type === 'planned_change') return;
          if (!applying) plan.add(m);
          const line = describeMessage(m);
          if (line) events.push(line.level, line.message);
        },
      });
      onCli(cli);
      const steps = new TerraformSteps({
        cli,
        plan,
        lockTimeoutSeconds: config.lockTimeoutSeconds,
        retry: config.transientRetry,
        log: (level, message) => events.push(level, message),
      });
      current.steps = steps;
      events.push(
        'info',
        `${describeKind(run.kind)} of ${env.service} / ${env.name} (${
          modules
            .map(m => `${m.name} ${m.manifest.metadata.version}`)
            .join(', ') || 'no resources'
        })`,
      );
      await steps.init();
      const approved = run.approved_at
        ? await this.restoreApprovedPlan(run, events.push.bind(events))
        : undefined;
      const completion = await RUN_KINDS[run.kind as RunKind]({
        run,
        env,
        modules,
        passwords,
        steps,
        log: (level, message) => events.push(level, message),
        elapsed: () => ((Date.now() - started) / 1000).toFixed(1),
        now: () => iso(this.deps.now()),
        readOutputs: summary =>
          this.readOutputs(env, cli!, summary).then(outputValues),
        storedCredentials: () =>
          env.sensitive_outputs
            ? this.deps.secrets.open(env.sensitive_outputs)
            : {},
        seal: credentials => this.deps.secrets.seal(credentials),
        checkCredentials: this.deps.checkCredentials ?? checkCredentials,
        dropState: () => this.dropState(env),
        approved,
        checkPlan: async summary => {
          await checked(summary);
        },
        gate: async saved => {
          const decision = await checked(saved.summary);
          if (decision.outcome !== 'apply') throw new RunHeld(decision, saved);
        },
      });
      await end(completion);
      log.info(`${run.kind} succeeded`);
    } catch (error) {
      if (error instanceof RunHeld) {
        await this.hold(run, env, error, events.push.bind(events), end);
        return;
      }
      const interrupted = cli?.wasInterrupted ?? false;
      let message = `The run could not start: ${(error as Error).message}`;
      if (interrupted) {
        message =
          run.kind === 'destroy'
            ? 'Interrupted: the portal was shutting down during the destroy. Terraform saved its state; part of the environment may already be gone, so only resuming the destroy is offered.'
            : 'Interrupted: the portal was shutting down. Terraform saved its state; re-plan to continue.';
      } else if (error instanceof RunFailure) {
        message = error.message;
      }
      events.push(interrupted ? 'warn' : 'error', message);
      const status = statusAfterUnfinished(
        run.kind,
        interrupted ? 'interrupted' : 'failed',
      );
      await end({
        status: interrupted ? 'interrupted' : 'failed',
        error: message,
        plan:
          error instanceof RunFailure && error.plan
            ? JSON.stringify(error.plan)
            : (plan.summary() && JSON.stringify(plan.summary())) ?? null,
        environment: status ? { status } : {},
      });
      log.warn(
        `${run.kind} ${interrupted ? 'interrupted' : 'failed'}: ${message}`,
      );
    } finally {
      // The saved plan holds the variables' values, secrets included.
      await this.removeWorkDir(run.id);
    }
  }

  /**
   * Ends a run whose plan the guardrails stopped: one that waits keeps its
   * plan file, sealed, bound to its hash; a blocked one says which rule.
   * The environment keeps the status it had before the run (one never
   * applied shows that it waits, or was blocked).
   */
  private async hold(
    run: RunRow,
    env: EnvironmentRow,
    held: RunHeld,
    log: (level: 'info' | 'warn' | 'error', message: string) => void,
    end: (completion: RunCompletion) => Promise<void>,
  ) {
    const { decision, saved } = held;
    const waiting = decision.outcome === 'wait';
    let kept: RunCompletion['saved'];
    if (waiting) {
      const file = await readFile(join(this.workDir(run.id), 'tfplan'));
      const hash = sha256(file);
      kept = {
        hash,
        sealed: this.deps.secrets.seal({ plan: file.toString('base64') }),
        expiresAt: this.deps.guardrails.expiresAt(),
      };
      decision.gate.planHash = hash;
      decision.gate.expiresAt = kept.expiresAt;
      log(
        'warn',
        `${decision.message}. Plan ${hash.slice(0, 12)} is kept until ${
          kept.expiresAt
        }.`,
      );
    } else {
      log('error', decision.message ?? 'Blocked');
    }
    const neverApplied =
      ['pending', 'awaiting-approval', 'blocked', 'rejected'].includes(
        env.status,
      ) && !env.applied_modules;
    let status = env.status;
    if (neverApplied) status = waiting ? 'awaiting-approval' : 'blocked';
    const plan = saved.summary ? JSON.stringify(saved.summary) : null;
    await end({
      status: waiting ? 'awaiting-approval' : 'blocked',
      error: waiting ? null : decision.message,
      plan,
      gate: storedGate(decision.gate),
      saved: kept,
      environment: { status },
    });
    await this.deps
      .onHeld?.({ ...run, plan, plan_hash: kept?.hash ?? null }, env, decision)
      .catch(error =>
        this.deps.logger.warn(`Could not announce the held run: ${error}`),
      );
  }

  /**
   * Writes the approved plan back as tfplan, after checking it is the very
   * file that was approved (its hash).
   */
  private async restoreApprovedPlan(
    run: RunRow,
    log: (level: 'info' | 'warn' | 'error', message: string) => void,
  ): Promise<SavedPlan> {
    const kept = await this.deps.gates.getPlan(run.id);
    if (!kept || kept.plan_hash !== run.plan_hash) {
      throw new RunFailure(
        'The approved plan is no longer kept; re-plan and ask for approval again',
      );
    }
    const { plan } = this.deps.secrets.open<{ plan: string }>(kept.sealed);
    const file = Buffer.from(plan, 'base64');
    if (sha256(file) !== run.plan_hash) {
      throw new RunFailure(
        'The kept plan does not match the approved one; re-plan and ask for approval again',
      );
    }
    await writeFile(join(this.workDir(run.id), 'tfplan'), file, {
      mode: 0o600,
    });
    log(
      'info',
      `Applying the approved plan ${run.plan_hash.slice(
        0,
        12,
      )} exactly as it was planned`,
    );
    return {
      summary: run.plan ? JSON.parse(run.plan) : undefined,
      hasChanges: true,
    };
  }

  /**
   * The module of each building block: the approved one for an apply or a
   * plan (so a re-plan previews an update); for a destroy or a drift check,
   * the copy of the version the environment was last applied with, so that
   * a module removed or changed since cannot stop or confuse it.
   */
  private modulesFor(
    run: RunRow,
    env: EnvironmentRow,
    resources: string[],
  ): LoadedModule[] {
    const applied: Record<string, ModuleManifest> = env.applied_modules
      ? JSON.parse(env.applied_modules)
      : {};
    // A drift check compares with what was applied, not with an update.
    const destroying = ['destroy', 'plan-destroy', 'drift'].includes(run.kind);
    return resources.map(name => {
      const stored = applied[name];
      const copy = stored && this.moduleCopy(name, stored.metadata.version);
      const kept = stored && existsSync(copy!);
      const current = this.deps.modules.get(name);
      if (kept && (destroying || !current)) {
        if (!destroying) {
          throw new RunFailure(
            `The ${name} module is no longer approved (${this.problemOf(
              name,
            )}). The environment can still be destroyed with the version it was applied with, ${
              stored.metadata.version
            }.`,
          );
        }
        return {
          name,
          manifest: stored,
          folder: `${name}@${stored.metadata.version}`,
          dir: copy!,
        };
      }
      if (!current) {
        throw new RunFailure(
          `The ${name} module is not available: ${this.problemOf(name)}`,
        );
      }
      return current;
    });
  }

  private problemOf(name: string) {
    return (
      this.deps.modules.problemOf(name) ??
      `no module manifest in ${this.deps.config.modulesDir} is named ${name}`
    );
  }

  /** Where the files of a module version an environment was applied with are kept. */
  private moduleCopy(name: string, version: string) {
    return join(this.deps.config.dataDir, 'modules', `${name}@${version}`);
  }

  /** The run's folder: the root module, its variables and the modules it uses. */
  private async writeRootModule(
    run: RunRow,
    env: EnvironmentRow,
    modules: LoadedModule[],
    passwords: Partial<Record<string, string>>,
  ) {
    const { config } = this.deps;
    const workDir = this.workDir(run.id);
    const root = buildRootModule({
      service: serviceName(env.service),
      environment: env.name,
      size: env.size as 'small' | 'medium' | 'large',
      modules,
      state: this.stateBackend(env),
      targets: config.targets,
      passwords,
      formInputs: env.module_inputs ? JSON.parse(env.module_inputs) : {},
    });
    await mkdir(workDir, { recursive: true, mode: 0o700 });
    await writeFile(
      join(workDir, 'main.tf.json'),
      JSON.stringify(root.config, null, 2),
    );
    await writeFile(
      join(workDir, 'terraform.tfvars.json'),
      JSON.stringify(root.tfvars, null, 2),
    );
    for (const module of modules) {
      await cp(module.dir, join(workDir, 'modules', module.folder), {
        recursive: true,
      });
      if (run.kind === 'apply') await this.keepModuleCopy(module);
    }
    return root;
  }

  /**
   * Keeps the files of a module version before an environment is applied
   * with it (written aside and renamed, so a crash leaves no half copy).
   */
  private async keepModuleCopy(module: LoadedModule) {
    const target = this.moduleCopy(
      module.name,
      module.manifest.metadata.version,
    );
    if (existsSync(target)) return;
    const partial = `${target}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(module.dir, partial, { recursive: true });
    await rename(partial, target).catch(async error => {
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(target)) throw error;
    });
  }

  private async finish(run: RunRow, completion: RunCompletion) {
    const ended = await this.deps.store.finishRun(
      run,
      completion,
      iso(this.deps.now()),
    );
    if (!ended) {
      this.deps.logger.warn(
        `Run ${run.id} had already been ended elsewhere (marked lost); its result is not recorded`,
      );
    }
    return ended;
  }

  private terraformEnv(
    secretEnv: Record<string, string>,
    modules: LoadedModule[],
  ) {
    const { config, state } = this.deps;
    const path = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
    const env: Record<string, string> = {
      // rabbitmqctl lives in /usr/sbin on Debian.
      PATH: path.split(':').includes('/usr/sbin')
        ? path
        : `${path}:/usr/sbin:/sbin`,
      HOME: process.env.HOME ?? '/tmp',
      LANG: 'C.UTF-8',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      // An empty CLI configuration, not the machine's: the root modules use
      // only the built-in provider, so init has nothing to download.
      TF_CLI_CONFIG_FILE: join(config.dataDir, 'terraformrc'),
      ...secretEnv,
    };
    if (state.type === 'pg') env.PG_CONN_STR = state.connectionString;
    // Destroy-time provisioners read the admin passwords from the runner's
    // environment, never from state.
    for (const { manifest } of modules) {
      for (const [variable, source] of Object.entries(
        manifest.spec.destroyEnvironment ?? {},
      )) {
        const input = Object.values(manifest.spec.inputs).find(
          i =>
            i.from === 'target' &&
            i.target === source.target &&
            i.field === source.field,
        );
        const value = targetValue(config.targets, {
          ...source,
          default: input?.from === 'target' ? input.default : undefined,
        });
        if (value !== undefined && value !== '') env[variable] = String(value);
      }
    }
    return env;
  }

  /**
   * The outputs as `terraform output -json` prints them. Read from the saved
   * state when the plugin can reach it (one Terraform process fewer).
   */
  private async readOutputs(
    env: EnvironmentRow,
    cli: TerraformCli,
    summary?: PlanSummary,
  ): Promise<string> {
    const { state } = this.deps;
    const document =
      state.type === 'pg'
        ? await state.readState?.(env.state_key)
        : await readFile(join(state.dir, env.state_key), 'utf8').catch(
            () => undefined,
          );
    if (document) {
      return JSON.stringify(JSON.parse(document).outputs ?? {});
    }
    const outputs = await cli.run(['output', '-json', '-no-color']);
    if (outputs.exitCode !== 0) {
      throw new RunFailure(
        textError(outputs, 'terraform output failed'),
        summary,
      );
    }
    return outputs.stdout.join('\n');
  }

  private async dropState(env: EnvironmentRow) {
    const { state } = this.deps;
    if (state.type === 'pg') {
      await state.dropSchema?.(env.state_key);
    } else {
      const file = join(state.dir, env.state_key);
      await rm(file, { force: true });
      await rm(`${file}.backup`, { force: true });
    }
  }
}
