import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CredentialCheck,
  EnvironmentResource,
  PlanSummary,
  RunKind,
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
import { buildRootModule, StateBackend } from '../terraform/rootModule';
import { TerraformCli } from '../terraform/TerraformCli';
import { TerraformSteps } from '../terraform/TerraformSteps';
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
  /** Connects with an environment's credentials (tests may stand in). */
  checkCredentials?: (
    credentials: Record<string, string>,
  ) => Promise<CredentialCheck[]>;
};

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
    );
    const end = async (completion: RunCompletion) => {
      await events.close();
      await this.finish(run, completion);
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
      const resources = JSON.parse(env.resources) as EnvironmentResource[];
      const passwords = this.deps.secrets.open<
        Partial<Record<EnvironmentResource, string>>
      >(env.secret_inputs);
      const root = await this.writeRootModule(run, env, resources, passwords);
      // The CLI reports messages to the steps it runs, made just below.
      const current: { steps?: TerraformSteps } = {};
      cli = new TerraformCli({
        binary: config.terraformBinary,
        cwd: this.workDir(run.id),
        env: this.terraformEnv(root.secretEnv),
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
          resources.join(', ') || 'no resources'
        })`,
      );
      await steps.init();
      const completion = await RUN_KINDS[run.kind as RunKind]({
        run,
        env,
        resources,
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
      });
      await end(completion);
      log.info(`${run.kind} succeeded`);
    } catch (error) {
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

  /** The run's folder: the root module, its variables and the modules it uses. */
  private async writeRootModule(
    run: RunRow,
    env: EnvironmentRow,
    resources: EnvironmentResource[],
    passwords: Partial<Record<EnvironmentResource, string>>,
  ) {
    const { config } = this.deps;
    const workDir = this.workDir(run.id);
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
        { recursive: true },
      );
    }
    return root;
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
