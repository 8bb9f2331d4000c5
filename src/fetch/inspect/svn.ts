// Reads an svn working copy's state: `svn info` and `svn status` never contact the server.
import { defaults } from '../../defaults.js';
import { exec } from '../../exec.js';
import { parseSvnInfo, parseSvnStatus } from '../vcs-svn.js';
import type { Inspection, InspectContext } from './types.js';

export async function inspectSvn(dir: string, ctx: InspectContext): Promise<Inspection> {
  const run = (args: string[]) =>
    exec('svn', [args[0]!, '--non-interactive', '--no-auth-cache', ...args.slice(1)], {
      cwd: dir,
      env: ctx.env,
      timeoutMs: defaults.gitQuickTimeoutMs,
    });
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
