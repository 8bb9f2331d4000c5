// Read-only inspection of checkouts for `weft status`: local commands only, no network.
import { statSync } from 'node:fs';
import type { SourceType } from '../../types.js';
import { inspectArchive } from './archive.js';
import { inspectGit } from './git.js';
import { inspectHg } from './hg.js';
import { inspectSvn } from './svn.js';
import type { Inspection, InspectContext } from './types.js';

export type { Inspection, InspectContext } from './types.js';

/** What is in `dir` now, read as a checkout of `type`. */
export async function inspectCheckout(type: SourceType, dir: string, ctx: InspectContext): Promise<Inspection> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return { present: false, modified: 0, untracked: 0 };
  switch (type) {
    case 'git':
      return inspectGit(dir, ctx);
    case 'svn':
      return inspectSvn(dir, ctx);
    case 'hg':
      return inspectHg(dir, ctx);
    case 'archive':
      return inspectArchive(dir);
    // A local directory is the user's own: there is nothing to compare it with.
    case 'local':
      return { present: true, modified: 0, untracked: 0 };
  }
}
