// What `weft status` learns about one checkout by looking at it, never by fetching.

export interface Inspection {
  /** The checkout directory exists. */
  present: boolean;
  /** Commit (git), last-changed revision (svn), changeset (hg) checked out now. */
  revision?: string;
  /** Active branch, when on one. */
  branch?: string;
  /** Modified or staged entries. */
  modified: number;
  untracked: number;
  /** Commits ahead of / behind the upstream branch (git only, and only with an upstream). */
  ahead?: number;
  behind?: number;
  upstream?: string;
  /** The working copy's repository URL (svn: `svn info` reads it anyway). */
  url?: string;
  /** Why something could not be read (e.g. not a repository), or a checkout of another repository. */
  problem?: string;
}

export interface InspectContext {
  env: NodeJS.ProcessEnv;
  cacheDir: string;
}
