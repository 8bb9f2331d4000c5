// `.weft/state.json`: what weft last put in the workspace. Other layers keep their own
// fields here (setup stamps, active branches), so writers merge and never drop what they
// do not own.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutStatus, SourceType } from '../types.js';
import { writeFileIfChanged } from '../atomic.cjs';

export const STATE_VERSION = 1;

export interface SourceState {
  type: SourceType;
  /** Absolute checkout directory the fetch layer manages. */
  dir: string;
  /** Directory in use when another one is active (e.g. a branch worktree from `weft switch`). */
  activeDir?: string;
  revision?: string;
  branch?: string;
  url?: string;
  ref?: string;
  fingerprint: string;
  status: CheckoutStatus;
  durationMs?: number;
  /** ISO time of the last converge that touched this entry. */
  updatedAt: string;
  /** The branch made active by `weft switch` (in `activeDir`, or in `dir` when `inPlace`). */
  activeBranch?: string;
  /** `weft switch --in-place` moved the main checkout itself to `activeBranch`: `weft up` leaves it alone. */
  inPlace?: boolean;
  /** Branch checkouts weft created for this source (branch → absolute dir), so `weft prune` knows them. */
  branchDirs?: Record<string, string>;
  /** The tree was placed by `weft up --from` as a plain export ("svn export"), not a working copy. */
  fromBundle?: string;
  /** Checkouts weft made at the source's earlier paths (its `path:` changed), left where they were: `weft prune` knows them. */
  leftDirs?: { dir: string; type: SourceType }[];
  [other: string]: unknown;
}

/** The last successful run of one setup step (written by src/shell/setup). */
export interface SetupStamp {
  /** The checkout's revision when the step ran; absent for sources without one (local). */
  revision?: string;
  /** Checkout directory and its inode: a re-created checkout is a new one for `once`. */
  dir: string;
  ino: number;
  /** ISO time. */
  ranAt: string;
}

export interface WorkspaceState {
  version: number;
  sources: Record<string, SourceState>;
  /**
   * Setup stamps: source name → step key (its command) → its last successful run in each
   * checkout directory (the main one, branch checkouts of `weft switch`); a single stamp
   * in files written before weft kept one per directory.
   */
  setup?: Record<string, Record<string, SetupStamp | SetupStamp[]>>;
  [other: string]: unknown;
}

export function statePath(workspace: string): string {
  return join(workspace, '.weft', 'state.json');
}

/** The workspace's state; an empty one when missing or unreadable (weft then re-checks everything). */
export function readState(workspace: string): WorkspaceState {
  try {
    const data = JSON.parse(readFileSync(statePath(workspace), 'utf8')) as Partial<WorkspaceState>;
    if (data && typeof data === 'object' && data.sources && typeof data.sources === 'object') {
      return { ...data, version: data.version ?? STATE_VERSION, sources: data.sources } as WorkspaceState;
    }
  } catch {
    /* never fetched, or a corrupt file from an older crash: start over */
  }
  return { version: STATE_VERSION, sources: {} };
}

/** Merges `updates` into the on-disk state (keeping fields other layers own) and writes it atomically. */
export function updateState(workspace: string, updates: Record<string, Partial<SourceState>>): WorkspaceState {
  const state = readState(workspace);
  for (const [name, fields] of Object.entries(updates)) {
    state.sources[name] = { ...state.sources[name], ...fields } as SourceState;
  }
  state.version = STATE_VERSION;
  mkdirSync(join(workspace, '.weft'), { recursive: true });
  writeFileIfChanged(statePath(workspace), JSON.stringify(state, null, 2) + '\n');
  return state;
}
