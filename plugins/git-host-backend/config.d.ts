export interface Config {
  gitHost?: {
    /**
     * Folder holding the bare repositories, relative to the backend's working
     * directory. Defaults to data/git.
     */
    root?: string;
    /** The embedded pipeline runner (gitlab-ci-local on this host's shell). */
    pipelines?: {
      /**
       * Whether this backend runs pushed `.gitlab-ci.yml` files. Off unless
       * set: it runs pushed code on the portal's host.
       */
      runner?: boolean;
      /** Pipelines run at once on this replica. Defaults to 2. */
      concurrency?: number;
      /** How long one job may run, e.g. { minutes: 20 }. Defaults to 30 minutes. */
      jobTimeout?: {
        minutes?: number;
        seconds?: number;
        milliseconds?: number;
      };
      /** From SIGTERM to SIGKILL for a job being stopped. Defaults to 10 seconds. */
      killGracePeriod?: { seconds?: number; milliseconds?: number };
      /** Bytes of log kept per job. Defaults to 2 MiB. */
      maxLogBytes?: number;
      /** Where pipelines get their folders. Defaults to the OS temp folder. */
      workDir?: string;
      /** npm's cache shared by jobs. */
      npmCache?: string;
      /** The folders jobs find programs in (after the backend's Node). */
      path?: string[];
      /**
       * Variables of the backend's environment jobs get too. Defaults to
       * the TLS certificate and proxy variables (NODE_EXTRA_CA_CERTS,
       * SSL_CERT_FILE, HTTPS_PROXY...); names starting PAVED_ or holding
       * SECRET, TOKEN, PASSWORD or ending in KEY are never passed.
       */
      passEnvironment?: string[];
      /** How often queued pipelines are looked for, in ms. Defaults to 2000. */
      pollIntervalMs?: number;
    };
    tokens?: {
      /** Days a git token lives unless its issuer asks for less. Defaults to 90. */
      defaultExpiryDays?: number;
      /** The longest a git token may live, in days. Defaults to 365. */
      maxExpiryDays?: number;
    };
  };
  paved?: {
    permission?: {
      /**
       * Entity refs of the groups whose members may change anything: push to
       * any repository, any environment. Defaults to group:default/platform.
       */
      platformGroups?: string[];
    };
  };
}
