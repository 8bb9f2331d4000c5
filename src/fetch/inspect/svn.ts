// Reads an svn working copy's state: `svn info` and `svn status` never contact the server.
import { defaults } from '../../defaults.js';
import { exec, type ExecResult } from '../../exec.js';
import { parseSvnInfo, parseSvnStatus } from '../vcs-svn.js';
import type { Inspection, InspectContext } from './types.js';

function svnIn(dir: string, ctx: InspectContext): (args: string[]) => Promise<ExecResult> {
  return (args) =>
    exec('svn', [args[0]!, '--non-interactive', '--no-auth-cache', ...args.slice(1)], {
      cwd: dir,
      env: ctx.env,
      timeoutMs: defaults.gitQuickTimeoutMs,
    });
}

/** The working copy's last-changed revision; undefined when `dir` is no svn working copy. */
export async function svnRevision(dir: string, ctx: InspectContext): Promise<string | undefined> {
  const info = parseSvnInfo((await svnIn(dir, ctx)(['info', '--xml', '.'])).stdout);
  return info ? String(info.lastChanged) : undefined;
}

export async function inspectSvn(dir: string, ctx: InspectContext): Promise<Inspection> {
  const run = svnIn(dir, ctx);
  const base: Inspection = { present: true, modified: 0, untracked: 0 };
  const info = parseSvnInfo((await run(['info', '--xml', '.'])).stdout);
  if (!info) return { ...base, problem: 'not an svn working copy' };
  // The last-changed revision, as weft records and locks it (fetch/svn.ts): the working
  // copy's own number also moves when only other paths of the repository changed.
  base.revision = String(info.lastChanged);
  base.url = info.url;
  for (const change of parseSvnStatus((await run(['status', '--xml', '.'])).stdout)) {
    if (change.what === 'unversioned') base.untracked++;
    else base.modified++;
  }
  return base;
}
