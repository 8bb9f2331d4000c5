import { existsSync } from 'node:fs';
import type { Checkout, Plan, Source } from '../types.js';
import { readState, type WorkspaceState } from './state.js';

/** What state.json says about one source, or the plan's own dir when weft never fetched it. */
export function checkoutFromState(s: Source, state: WorkspaceState): Checkout {
  const status = s.type === 'local' ? 'local' : 'unchanged';
  const entry = state.sources[s.name];
  if (!entry || entry.dir !== s.dir || entry.type !== s.type) return { name: s.name, type: s.type, dir: s.dir, status };
  // A branch checkout removed behind weft's back (git worktree remove) is not the active
  // directory any more: the main checkout is, as `weft up` then records.
  const worktree = typeof entry.activeDir === 'string' && existsSync(entry.activeDir);
  const checkout: Checkout = {
    name: s.name,
    type: s.type,
    dir: worktree ? (entry.activeDir as string) : entry.dir,
    status,
    revision: entry.revision,
    branch: (worktree || entry.inPlace === true) && typeof entry.activeBranch === 'string' ? entry.activeBranch : entry.branch,
  };
  if (worktree) checkout.switched = 'worktree';
  else if (entry.inPlace === true) checkout.switched = 'in-place';
  return checkout;
}

/** The workspace's checkouts as last recorded: no network, no git; for `weft env` and `weft run`. */
export async function readCheckouts(plan: Plan): Promise<Checkout[]> {
  const state = readState(plan.workspace);
  return plan.sources.map((s) => checkoutFromState(s, state));
}
