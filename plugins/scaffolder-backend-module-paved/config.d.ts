export interface Config {
  paved?: {
    pipelines?: {
      /**
       * The platform's pipeline library, relative to the backend's working
       * directory. Defaults to templates/pipelines.
       */
      libraryDir?: string;
      /**
       * Where pipelines report deployments (service, environment, commit,
       * outcome). Defaults to <backend.baseUrl>/api/deployments/report.
       */
      reportUrl?: string;
      /** Name of the CI secret that holds the report token. */
      reportTokenSecret?: string;
    };
  };
}
