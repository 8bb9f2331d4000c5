// The source as its active checkout is meant to have it. An svn working copy switched with
// `weft switch` is of <base>/branches/BRANCH, not of the manifest's URL — svn has no origin
// shared by every working copy, as git worktrees share one — so status and doctor compare
// it with the branch's URL; anything else there is still another repository's.
import type { Checkout, Source } from '../../types.js';
import { svnBaseOf } from './svn.js';

export function activeSource(s: Source, c: Checkout): Source {
  if (s.type !== 'svn' || c.switched === undefined || c.branch === undefined) return s;
  const base = svnBaseOf(s.url);
  // The manifest's URL left the trunk/branches layout since the switch: nothing to compare with but it.
  return base === undefined ? s : { ...s, url: `${base}/branches/${c.branch}` };
}
