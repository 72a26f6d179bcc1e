export interface Config {
  gitHost?: {
    /**
     * Folder holding the bare repositories, relative to the backend's working
     * directory. Defaults to data/git.
     */
    root?: string;
  };
}
