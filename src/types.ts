// The contracts between weft's layers: resolve → Plan → fetch → Checkout[] → shell.
// Everything here is plain, serializable data (JSON round-trips it unchanged).

/** A position in a manifest file, 1-based, as editors show it. */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

/** A use of `${source.NAME}`: the source, and the directory it expanded to (its `dir`). */
export interface SourceDirRef {
  source: string;
  dir: string;
}

/**
 * A manifest string that used `${source.NAME}` (directly or through a variable), as
 * parts: text, and each such use apart. Its expanded string has the main checkout's
 * directory there; the shell layer puts the source's active one (a branch checkout
 * after `weft switch`, as its Checkout says) instead — see source-template.ts.
 */
export type SourceTemplate = (string | SourceDirRef)[];

/**
 * How one environment variable is changed. Paths in prepend/append may be relative.
 * `template` / `templates` (one per path, null for a path without one): present only
 * where a value used `${source.NAME}`.
 */
export type EnvOp =
  | { op: 'prepend'; paths: string[]; templates?: (SourceTemplate | null)[] }
  | { op: 'append'; paths: string[]; templates?: (SourceTemplate | null)[] }
  | { op: 'set'; value: string; template?: SourceTemplate }
  | { op: 'unset' };

/**
 * One variable change from the manifest. `origin` is 'workspace' or a source name;
 * relative paths resolve against the manifest's directory (workspace) or the source's
 * active checkout directory (source), which the shell layer learns from the Checkouts.
 */
export type EnvEntry = EnvOp & {
  name: string;
  origin: string;
  loc: Loc;
};

export type SetupWhen = 'changed' | 'always' | 'once';

export interface SetupStep {
  run: string;
  /** `run` as parts, when it used `${source.NAME}` (see SourceTemplate). */
  template?: SourceTemplate;
  when: SetupWhen;
  loc: Loc;
}

export type SourceType = 'git' | 'archive' | 'local' | 'svn' | 'hg';

interface SourceBase {
  name: string;
  /** Checkout path relative to the plan's root, as written (default: the name). */
  path: string;
  /** Absolute checkout directory (for `local`, the local directory itself). */
  dir: string;
  depends: string[];
  groups: string[];
  env: EnvEntry[];
  setup: SetupStep[];
  /** Where the source was defined. */
  loc: Loc;
  /** Which file:line set each manifest field (also `env.NAME` per variable), for `weft why`. */
  fieldLocs?: Record<string, Loc>;
}

export interface GitSource extends SourceBase {
  type: 'git';
  url: string;
  /** Branch, tag or full commit as written; undefined means the remote's default branch. */
  ref?: string;
  /**
   * Where the ref's value is written (file:line:col; the source's own place when it names
   * none): where an error about the ref, such as a branch upstream lacks, points.
   */
  refLoc?: Loc;
  /** A resolved full commit to check out (from the lock), when known. */
  commit?: string;
  depth?: number;
  submodules: boolean;
  /** The URL as the manifest gave it, when a `mirrors:` rule rewrote `url`. */
  canonicalUrl?: string;
  /** The path as the manifest wrote it, when it was relative to the manifest (`url` is it resolved). */
  writtenUrl?: string;
}

export interface ArchiveSource extends SourceBase {
  type: 'archive';
  url: string;
  /** Normalised SRI: `sha256-<base64>` or `sha512-<base64>`. */
  integrity: string;
  strip: number;
  /** From `format:` or the URL's extension; resolve always fills it in. */
  format?: ArchiveFormat;
  /** The URL as the manifest gave it, when a `mirrors:` rule rewrote `url`. */
  canonicalUrl?: string;
  /** The path as the manifest wrote it, when it was relative to the manifest (`url` is it resolved). */
  writtenUrl?: string;
}

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.xz' | 'tar.bz2' | 'zip';

export interface LocalSource extends SourceBase {
  type: 'local';
}

export interface SvnSource extends SourceBase {
  type: 'svn';
  url: string;
  ref?: string;
  /** Where the ref's value is written (the source's own place when it names none); see GitSource.refLoc. */
  refLoc?: Loc;
  /** The URL as the manifest gave it, when a `mirrors:` rule rewrote `url`. */
  canonicalUrl?: string;
  /** The path as the manifest wrote it, when it was relative to the manifest (`url` is it resolved). */
  writtenUrl?: string;
  /** A resolved revision number to check out (from the lock), when known; wins over ref. */
  revision?: string;
}

export interface HgSource extends SourceBase {
  type: 'hg';
  url: string;
  ref?: string;
  /** Where the ref's value is written (the source's own place when it names none); see GitSource.refLoc. */
  refLoc?: Loc;
  /** The URL as the manifest gave it, when a `mirrors:` rule rewrote `url`. */
  canonicalUrl?: string;
  /** The path as the manifest wrote it, when it was relative to the manifest (`url` is it resolved). */
  writtenUrl?: string;
  /** A resolved full changeset id to check out (from the lock), when known; wins over ref. */
  revision?: string;
}

export type Source = GitSource | ArchiveSource | LocalSource | SvnSource | HgSource;

export interface ImportSpec {
  from: string;
  file: string;
  only?: string[];
  loc: Loc;
}

/** The resolved, validated manifest: everything fetch and shell need, nothing more. */
export interface Plan {
  /** Display name (manifest `name`, default the workspace directory's name). */
  name: string;
  /** Absolute path of the top-level manifest. */
  manifest: string;
  /** Absolute directory holding the manifest, `.weft/` and the lock. */
  workspace: string;
  /** Absolute directory checkouts go under. */
  root: string;
  /** Sources in manifest order. */
  sources: Source[];
  /** Source names in environment order: each source before those it depends on. */
  envOrder: string[];
  /** Workspace-level env entries (they win over every source). */
  env: EnvEntry[];
  requires: Record<string, string>;
  mirrors: Record<string, string>;
  imports: ImportSpec[];
  /** Every manifest file read (absolute), top-level first; trust hashes these. */
  files: string[];
  /** Imports whose source is not checked out yet: `weft up` fetches it, then reads them. */
  pendingImports?: ImportSpec[];
}

export type CheckoutStatus =
  | 'cloned' // newly created
  | 'updated' // moved to another commit
  | 'unchanged' // already right
  | 'local' // a local directory, used in place
  | 'skipped' // left alone to keep the user's work; see message
  | 'failed'; // see message and cause

/** What the fetch layer did for one source, and where it now lives. */
export interface Checkout {
  name: string;
  type: SourceType;
  /** Absolute directory of the active checkout (a worktree when a branch is active). */
  dir: string;
  status: CheckoutStatus;
  /** Full commit (git), revision (svn), changeset (hg), integrity (archive). */
  revision?: string;
  /**
   * What the source converged to upstream, when the checkout's HEAD is elsewhere (a branch
   * left ahead with the user's own commits): what the lock pins and weft records as placed.
   */
  locked?: string;
  /** Branch checked out, when on one. */
  branch?: string;
  /** One line for people: why skipped/failed, or what moved. */
  message?: string;
  /** For a failure about something the manifest says (a ref upstream lacks): where it says it. */
  loc?: Loc;
  /** Placed by `weft up --from BUNDLE` itself (hg: a clone; svn: an export, not a working copy), before the run. */
  fromBundle?: 'hg clone' | 'svn export';
  /** For a failure: how to fix it. */
  hint?: string;
  /** Redacted detail (e.g. the relevant stderr lines of a failed git call). */
  cause?: string;
  durationMs?: number;
  /** Stable error code (WEFT_E_…) when status is 'failed'. */
  code?: string;
  /** The failure was for want of credentials: worth retrying on a terminal, one at a time. */
  needsAuth?: boolean;
  /** `weft switch` made `branch` active: in its own checkout ('worktree') or the main one ('in-place'). */
  switched?: 'worktree' | 'in-place';
  /** The cache's copy of this source was damaged, set aside and fetched again (message says why). */
  cacheHealed?: boolean;
  /** The source moved (its `path:` changed): the checkout at its old place, left as it was. */
  leftBehind?: string;
  /**
   * The branch checkout `weft switch` made active is gone (`git worktree remove`, rm -rf):
   * this run made the main checkout active again.
   */
  branchGone?: { branch: string; dir: string };
  /** `weft up NAME…` or `--skip` left this source out: nothing was done, whatever its state. */
  notSelected?: boolean;
}
