import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EnvironmentResource,
  PlanSummary,
} from '@internal/plugin-environments-common';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentsConfig } from '../config';
import { EnvironmentStore, RunCompletion } from '../database/EnvironmentStore';
import { EnvironmentRow, RunRow } from '../database/tables';
import {
  describeMessage,
  PlanCollector,
  TerraformJsonMessage,
} from '../terraform/progress';
import {
  buildCredentials,
  buildRootModule,
  StateBackend,
} from '../terraform/rootModule';
import { TerraformCli } from '../terraform/TerraformCli';
import { SecretBox } from './SecretBox';
import { EventWriter } from './EventWriter';
import {
  describeKind,
  jsonError,
  RunFailure,
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
};

const iso = (d: Date) => d.toISOString();

/**
 * Executes one claimed run: writes the environment's root module into a
 * fresh working directory, plans, keeps the plan's summary, applies that
 * saved plan, reads the outputs, and records every step as progress lines.
 */
export class RunExecutor {
  constructor(private readonly deps: Deps) {}

  stateBackend(env: Pick<EnvironmentRow, 'state_key'>): StateBackend {
    return this.deps.state.type === 'pg'
      ? { type: 'pg', schemaName: env.state_key }
      : { type: 'local', path: join(this.deps.state.dir, env.state_key) };
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
    );

    if (env.status === 'destroyed') {
      events.push(
        'error',
        'The environment was destroyed before this run started.',
      );
      await events.close();
      await this.finish(run, {
        status: 'failed',
        error: 'The environment was destroyed before this run started.',
        environment: {},
      });
      return;
    }

    const workDir = join(config.dataDir, 'runs', run.id);
    const plan = new PlanCollector();
    let cli: TerraformCli | undefined;
    let applying = false;
    try {
      if (run.kind === 'apply' || run.kind === 'destroy') {
        await store.updateEnvironment(env.id, {
          status: run.kind === 'apply' ? 'provisioning' : 'destroying',
        });
      }
      const resources = JSON.parse(env.resources) as EnvironmentResource[];
      const passwords = this.deps.secrets.open<
        Partial<Record<EnvironmentResource, string>>
      >(env.secret_inputs);
      const root = buildRootModule({
        service: serviceName(env.service),
        environment: env.name,
        size: env.size,
        resources,
        state: this.stateBackend(env),
        targets: config.targets,
        passwords,
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
      for (const module of root.modules) {
        await cp(
          join(config.modulesDir, module),
          join(workDir, 'modules', module),
          {
            recursive: true,
          },
        );
      }
      cli = new TerraformCli({
        binary: config.terraformBinary,
        cwd: workDir,
        env: this.terraformEnv(root.secretEnv),
        onMessage: (m: TerraformJsonMessage) => {
          // Applying a saved plan repeats its planned changes: the summary
          // and the log keep the plan's own.
          if (applying && m.type === 'planned_change') return;
          if (!applying) plan.add(m);
          const line = describeMessage(m);
          if (line) events.push(line.level, line.message);
        },
      });
      onCli(cli);
      const lock = `-lock-timeout=${config.lockTimeoutSeconds}s`;
      const destroy = run.kind === 'destroy' || run.kind === 'plan-destroy';

      events.push(
        'info',
        `${describeKind(run.kind)} of ${env.service} / ${env.name} (${
          resources.join(', ') || 'no resources'
        })`,
      );
      const init = await cli.run(['init', '-input=false', '-no-color', lock]);
      if (init.exitCode !== 0) {
        throw new RunFailure(textError(init, 'terraform init failed'));
      }
      events.push(
        'info',
        'Initialized the working directory and state backend',
      );

      const planResult = await cli.run([
        'plan',
        '-input=false',
        '-json',
        lock,
        '-detailed-exitcode',
        '-out=tfplan',
        ...(destroy ? ['-destroy'] : []),
      ]);
      if (planResult.exitCode !== 0 && planResult.exitCode !== 2) {
        throw new RunFailure(
          jsonError(planResult, cli, 'terraform plan failed'),
        );
      }
      const summary = plan.summary();
      const hasChanges = planResult.exitCode === 2;

      if (run.kind === 'drift') {
        await events.close();
        await this.finish(run, {
          status: 'succeeded',
          plan: summary && JSON.stringify(summary),
          environment: {
            drift: hasChanges ? 'drifted' : 'in-sync',
            drift_checked_at: iso(this.deps.now()),
          },
        });
        return;
      }
      if (run.kind === 'plan' || run.kind === 'plan-destroy') {
        await events.close();
        await this.finish(run, {
          status: 'succeeded',
          plan: summary && JSON.stringify(summary),
          environment: {},
        });
        return;
      }

      if (hasChanges) {
        applying = true;
        const apply = await cli.run([
          'apply',
          '-input=false',
          '-json',
          lock,
          'tfplan',
        ]);
        if (apply.exitCode !== 0) {
          throw new RunFailure(
            jsonError(apply, cli, 'terraform apply failed'),
            summary,
          );
        }
      } else {
        events.push(
          'info',
          'No changes: the infrastructure matches the configuration',
        );
      }

      if (run.kind === 'apply') {
        const plain = outputValues(await this.readOutputs(env, cli, summary));
        const credentials = buildCredentials(resources, plain, passwords);
        events.push(
          'info',
          `Applied in ${((Date.now() - started) / 1000).toFixed(1)}s`,
        );
        await events.close();
        await this.finish(run, {
          status: 'succeeded',
          plan: summary && JSON.stringify(summary),
          environment: {
            status: 'ready',
            drift: 'in-sync',
            drift_checked_at: iso(this.deps.now()),
            outputs: JSON.stringify(plain),
            sensitive_outputs: this.deps.secrets.seal(credentials),
          },
        });
      } else {
        await this.dropState(env);
        events.push(
          'info',
          `Destroyed in ${((Date.now() - started) / 1000).toFixed(1)}s`,
        );
        await events.close();
        await this.finish(run, {
          status: 'succeeded',
          plan: summary && JSON.stringify(summary),
          environment: {
            status: 'destroyed',
            destroyed_at: iso(this.deps.now()),
            destroyed_by: run.requested_by,
            outputs: '{}',
            sensitive_outputs: null,
          },
        });
      }
      log.info(`${run.kind} succeeded`);
    } catch (error) {
      const interrupted = cli?.wasInterrupted ?? false;
      let message = `The run could not start: ${(error as Error).message}`;
      if (interrupted) {
        message =
          'Interrupted: the portal was shutting down. Terraform saved its state; re-plan to continue.';
      } else if (error instanceof RunFailure) {
        message = error.message;
      }
      events.push(interrupted ? 'warn' : 'error', message);
      await events.close();
      const changesEnvironment = run.kind === 'apply' || run.kind === 'destroy';
      await this.finish(run, {
        status: interrupted ? 'interrupted' : 'failed',
        error: message,
        plan:
          error instanceof RunFailure && error.plan
            ? JSON.stringify(error.plan)
            : (plan.summary() && JSON.stringify(plan.summary())) ?? null,
        environment: changesEnvironment
          ? { status: interrupted ? 'interrupted' : 'failed' }
          : {},
      });
      log.warn(
        `${run.kind} ${interrupted ? 'interrupted' : 'failed'}: ${message}`,
      );
    } finally {
      // The saved plan holds the variables' values, secrets included.
      await rm(workDir, { recursive: true, force: true });
    }
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
  }

  private terraformEnv(secretEnv: Record<string, string>) {
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
    if (config.targets.postgres.adminPassword) {
      env.PGPASSWORD = config.targets.postgres.adminPassword;
    }
    if (config.targets.redis.adminPassword) {
      env.REDISCLI_AUTH = config.targets.redis.adminPassword;
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
