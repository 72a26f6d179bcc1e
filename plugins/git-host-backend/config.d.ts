export interface Config {
  gitHost?: {
    /**
     * Folder holding the bare repositories, relative to the backend's working
     * directory. Defaults to data/git.
     */
    root?: string;
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
