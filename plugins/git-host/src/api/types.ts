// The shapes the git-host backend answers with. Paved's own routes use
// camelCase; the routes under /api/v1 are Gitea-compatible, so their shapes
// keep Gitea's field names and `pulls` stands for change requests.

/** The newest commit on a repository's default branch. */
export interface GitCommitSummary {
  sha: string;
  author: string;
  /** ISO 8601 date. */
  date: string;
  /** The commit's subject line. */
  message: string;
}

/**
 * Who may read a repository: `internal` every signed-in user, `private` only
 * its owners and the platform team.
 */
export type RepositoryVisibility = 'internal' | 'private';

/**
 * Where a repository lives on the git host: `namespace` is the URL segment
 * of its owner (`payments` for `group:default/payments`), `name` its own.
 * A HostedRepository is one.
 */
export interface RepositoryLocator {
  namespace: string;
  name: string;
}

/** A repository hosted by Paved's git host. */
export interface HostedRepository extends RepositoryLocator {
  /** Entity ref of the owning group, e.g. `group:default/payments`. */
  owner: string;
  /** `<namespace>/<name>`, e.g. `payments/shop`. */
  fullName: string;
  description?: string;
  visibility: RepositoryVisibility;
  createdBy: string;
  /** ISO 8601 date. */
  createdAt: string;
  cloneUrl: string;
  defaultBranch: string;
  protectTags: boolean;
  /** Absent while the repository has no commits. */
  lastCommit?: GitCommitSummary;
  /** What the signed-in user may do with it. */
  permissions: { read: boolean; write: boolean; admin: boolean };
}

/** A personal git token, or a deploy token of one repository. */
export interface GitToken {
  id: string;
  name: string;
  /** Entity ref of the user it was issued to. */
  subject: string;
  /** `<namespace>/<name>` of the repository a deploy token is for. */
  repository?: string;
  scope: 'read' | 'write';
  createdAt: string;
  expiresAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

/** A token as issued: the secret itself is in this answer only. */
export interface IssuedGitToken extends GitToken {
  token: string;
}

/** How long tokens live, in days. */
export interface TokenPolicy {
  defaultDays: number;
  maxDays: number;
}

/** An entry of a directory listing. */
export interface RepositoryEntry {
  type: 'file' | 'dir' | 'symlink' | 'submodule';
  name: string;
  /** From the repository's root, without a leading slash. */
  path: string;
  sha: string;
  size: number;
}

/** A file with its content, base64-encoded; none above 1 MiB. */
export interface RepositoryFile extends RepositoryEntry {
  type: 'file';
  encoding?: 'base64';
  content?: string;
  too_large?: boolean;
}

/** A directory lists its entries; a file comes with its content. */
export type RepositoryContents = RepositoryEntry[] | RepositoryFile;

/** A branch and the commit at its tip. */
export interface Branch {
  name: string;
  commit: {
    id: string;
    message: string;
    timestamp: string;
    author: { name: string; email: string };
  };
}

/** A commit as the commit lists show it. */
export interface Commit {
  sha: string;
  html_url: string;
  commit: {
    message: string;
    author: { name: string; email: string; date: string };
  };
}

export type ChangeRequestState = 'open' | 'closed';

/** A change request: merge `head` into `base`. Gitea calls it a pull. */
export interface ChangeRequest {
  number: number;
  title: string;
  body: string;
  state: ChangeRequestState;
  merged: boolean;
  merged_at?: string;
  /** Who merged it, as Gitea names users: `login` is the user's entity ref. */
  merged_by?: { login: string } | null;
  merge_commit_sha?: string;
  mergeable: boolean;
  /** Why it cannot be merged, when it cannot. */
  conflict?: string;
  head: { ref: string; sha: string | null; deleted?: boolean };
  base: { ref: string; sha: string };
  /** `login` is the author's user entity ref. */
  user: { login: string };
  created_at: string;
  updated_at: string;
  html_url: string;
}

/** One file a change request changes, with its unified diff. */
export interface ChangedFile {
  filename: string;
  previous_filename?: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  additions: number;
  deletions: number;
  changes: number;
  binary: boolean;
  too_large: boolean;
  /** Absent when the file is binary or its diff too large. */
  patch?: string;
}
