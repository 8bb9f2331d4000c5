// Read-only inspection of checkouts for `weft status`: local commands only, no network.
import { statSync } from 'node:fs';
import type { Source, SourceType } from '../../types.js';
import { readMarker } from '../archive/marker.js';
import { inspectArchive } from './archive.js';
import { gitRevision, inspectGit } from './git.js';
import { gitDirOf, readHead } from '../git/refs-fs.js';
import { hgParent, hgRevision, inspectHg } from './hg.js';
import { otherRepository } from './origin.js';
import { inspectSvn, svnRevision } from './svn.js';
import type { Inspection, InspectContext } from './types.js';

export type { Inspection, InspectContext } from './types.js';
export { hgUnpushed } from './hg.js';
export { lockDistance, unpushedCommits, type LockDistance } from './git.js';

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
  const st = statSync(dir, { throwIfNoEntry: false });
  // Something else stands there: `weft up` leaves it alone, so it is not "missing" (which up would make).
  if (st && !st.isDirectory()) return { present: true, modified: 0, untracked: 0, problem: 'not a directory: a file stands there; weft up leaves it alone (move it away)' };
  if (!st) return { present: false, modified: 0, untracked: 0 };
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

/**
 * What is checked out in `dir` now, as `inspectCheckout` reads it, and nothing else: the
 * commit (git HEAD), last-changed revision (svn), changeset (hg), or the integrity of the
 * archive extracted there. Undefined for a local directory, or when none can be read.
 */
export async function currentRevision(type: SourceType, dir: string, ctx: InspectContext): Promise<string | undefined> {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  switch (type) {
    case 'git':
      return gitRevision(dir, ctx);
    case 'svn':
      return svnRevision(dir, ctx);
    case 'hg':
      return hgRevision(dir, ctx);
    case 'archive':
      return (await readMarker(dir))?.integrity;
    case 'local':
      return undefined;
  }
}

/**
 * What is checked out in `dir` now and on which branch: git's HEAD and its branch (none
 * when detached), hg's changeset and named branch; for the rest, currentRevision alone.
 */
export async function currentCheckout(type: SourceType, dir: string, ctx: InspectContext): Promise<{ revision?: string; branch?: string }> {
  if (type === 'hg') {
    // One `hg log` says both.
    const at = await hgParent(dir, ctx);
    return { revision: at?.node, branch: at?.branch };
  }
  const revision = await currentRevision(type, dir, ctx);
  // git: HEAD's branch from the file, no second git process.
  const gitDir = type === 'git' && revision !== undefined ? gitDirOf(dir) : undefined;
  return { revision, branch: gitDir ? readHead(gitDir)?.branch : undefined };
}
