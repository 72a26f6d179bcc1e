export interface Config {
  paved?: {
    deployments?: {
      /**
       * Environment names a deployment report may name, besides the
       * service's own Paved environments. Defaults to dev, staging and
       * production.
       */
      environments?: string[];
      /**
       * How far in the future a report's times may be (clock skew between
       * CI and the portal), e.g. { minutes: 5 }. Defaults to 5 minutes.
       */
      allowedClockSkew?: { minutes?: number; seconds?: number };
    };
  };
}
