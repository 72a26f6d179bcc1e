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
    delivery?: {
      /**
       * The environment delivery figures are for unless a request names
       * one. Defaults to production.
       */
      environment?: string;
      /**
       * The IANA time zone of deploy days and weeks, e.g. Europe/Berlin.
       * Defaults to UTC.
       */
      timeZone?: string;
      /**
       * Performance bands. Each threshold defaults to DORA's 2023 report:
       * deploymentFrequency in successful deployments per week (at or above
       * reaches the band), leadTime and recoveryTime in seconds (below),
       * changeFailureRate as a ratio (at or below).
       */
      bands?: {
        /** Names where the thresholds come from, shown beside the bands. */
        source?: string;
        deploymentFrequency?: {
          elite?: number;
          high?: number;
          medium?: number;
        };
        leadTime?: { elite?: number; high?: number; medium?: number };
        changeFailureRate?: { elite?: number; high?: number; medium?: number };
        recoveryTime?: { elite?: number; high?: number; medium?: number };
      };
    };
  };
}
