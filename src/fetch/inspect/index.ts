// Read-only inspection of checkouts for `weft status`: local commands only, no network.
import { statSync } from 'node:fs';
import type { Source, SourceType } from '../../types.js';
import { inspectArchive } from './archive.js';
import { inspectGit } from './git.js';
import { inspectHg } from './hg.js';
import { otherRepository } from './origin.js';
import { inspectSvn } from './svn.js';
import type { Inspection, InspectContext } from './types.js';

export type { Inspection, InspectContext } from './types.js';

/**
 * What is in `dir` now, read as a checkout of `type`; given the manifest's `source`, a
 * checkout of another repository than it names (one `weft up` refuses) is a problem too.
 */
export async function inspectCheckout(type: SourceType, dir: string, ctx: InspectContext, source?: Source): Promise<Inspection> {
  const found = await inspectAs(type, dir, ctx);
  if (source !== undefined && source.type === type && found.present && found.problem === undefined) {
    const other = await otherRepository(source, dir, found.url);
    if (other !== undefined) found.problem = other;
  }
  return found;
}

async function inspectAs(type: SourceType, dir: string, ctx: InspectContext): Promise<Inspection> {
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
