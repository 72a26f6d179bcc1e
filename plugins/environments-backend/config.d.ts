import { HumanDuration } from '@backstage/types';

export interface Config {
  paved?: {
    /** Paved's environments: Terraform runs of the platform's approved modules. */
    environments?: {
      /** The Terraform CLI (or OpenTofu's `tofu`). Default: `terraform` on PATH. */
      terraformBinary?: string;
      /** The platform's approved modules. Default: ../../terraform/modules. */
      modulesDir?: string;
      /**
       * Run folders and, on the embedded SQLite default, state files.
       * Default: ../../data/environments.
       */
      dataDir?: string;
      /** Runs of different environments at once, per backend replica. Default 2. */
      maxParallelRuns?: number;
      /** Terraform's -lock-timeout. Default 60s. */
      lockTimeout?: HumanDuration | string;
      /**
       * How long SIGINT may take to let Terraform save state on shutdown.
       * Default 25s; the process manager must wait longer than this before
       * it kills the backend (Kubernetes waits 30s by default).
       */
      shutdownGracePeriod?: HumanDuration | string;
      /** Time to live, in hours. */
      ttl?: {
        /** When a request names none. Default 72. */
        defaultHours?: number;
        /** The platform maximum. Default 720 (30 days). */
        maxHours?: number;
      };
      /**
       * Encrypts sensitive outputs and generated passwords at rest (any
       * string of at least 32 characters). When unset, a key file is created
       * under dataDir: fine locally, not for several replicas.
       * @visibility secret
       */
      encryptionKey?: string;
      /** Where Terraform state lives when the portal runs on PostgreSQL. */
      state?: {
        /**
         * A lib/pq connection string for Terraform's pg backend. Default: the
         * plugin's own database connection.
         * @visibility secret
         */
        connectionString?: string;
      };
      /** The servers the modules provision on. Defaults: this machine's loopback services. */
      /**
       * The servers the approved modules provision on, by name: the fields
       * module manifests read with `from: target` (defaults are in the
       * manifests). A field called adminPassword or password is a secret.
       */
      targets?: {
        [server: string]: {
          /** @visibility secret */
          adminPassword?: string;
          /** @visibility secret */
          password?: string;
          [field: string]: string | number | boolean | undefined;
        };
      };
      lifecycle?: {
        /** How often expired environments are destroyed. Default every minute. */
        sweepFrequency?: HumanDuration | string;
        /**
         * How often ready environments are checked for drift and for
         * credentials that still connect. Default every 6 hours.
         */
        driftFrequency?: HumanDuration | string;
      };
      /**
       * A Terraform step that meets a database out of connections ("too
       * many clients") or restarting is tried again, with a doubling delay.
       */
      transientRetry?: {
        /** Tries in all, default 5. */
        attempts?: number;
        /** The first delay, default 2 seconds. */
        firstDelay?: HumanDuration | string;
      };
      /** Approvals, policy checks and cost (docs/guardrails.md). */
      guardrails?: {
        /**
         * Environments whose apply and destroy stop after their plan until
         * approved. Default: names prod, production and staging; one
         * approval by the owning group or the platform team.
         */
        protected?: {
          names?: string[];
          /** Regular expressions over the environment's name. */
          patterns?: string[];
          /** Approvals needed, by people other than the requester. */
          approvals?: number;
          /** Groups whose members may approve; `owner` is the owning group. */
          approverGroups?: string[];
        };
        /** Per owning group (its entity ref), what differs from `protected`. */
        groups?: {
          [group: string]: {
            protected?: {
              names?: string[];
              patterns?: string[];
              approvals?: number;
              approverGroups?: string[];
            };
          };
        };
        /** How long a plan waits for its approvals. Default 24 hours. */
        approvalWindow?: HumanDuration | string;
        /** The policy rules (YAML), relative to the backend's folder. */
        policyFile?: string;
        /**
         * What a policy file that cannot be read stops: `protected` (the
         * default: runs of protected environments; others go on with a
         * warning) or `all`.
         */
        failClosed?: 'protected' | 'all';
        /** Monthly prices per module and size. */
        prices?: {
          currency?: string;
          /** For a module or size not listed. Default 0. */
          default?: number;
          modules?: {
            [module: string]: { [size: string]: number };
          };
        };
        /** Monthly budgets per owning group (entity ref). */
        budgets?: { [group: string]: number };
      };
    };
  };
}
