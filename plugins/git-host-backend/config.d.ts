export interface Config {
  gitHost?: {
    /**
     * Folder holding the bare repositories, relative to the backend's working
     * directory. Defaults to data/git.
     */
    root?: string;
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
