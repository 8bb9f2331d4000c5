// Subversion sources: a working copy at a revision number or HEAD.
//
// Checkout.revision is the working copy's last-changed revision, not the repository-wide
// number it was updated to: it only moves when something under the URL changed, so a lock
// of many paths in one busy repository does not churn. Any revision N with
// lastChanged <= N <= revision has the same content, which is what "already there" means.
import { relative } from 'node:path';
import type { SvnSource } from '../types.js';
import type { Fetcher, FetcherContext, PreviousCheckout } from './fetcher.js';
import { buildBeside, causeOf, convergeSource, failed, listPaths, refMissing, targetState, type Outcome } from './vcs-common.js';
import {
  parseSvnInfo,
  parseSvnStatus,
  sameSvnUrl,
  svnRunner,
  svnUrlProblem,
  wantedSvnRev,
  type SvnInfo,
  type SvnLocalChange,
  type SvnRunner,
} from './vcs-svn.js';

export const fetchSvn: Fetcher<SvnSource> = (source, ctx, previous) =>
  convergeSource(source, ctx, (s, c) => converge(s, c, previous), 'WEFT_E_SVN_IO');

/**
 * The repository has no such revision (svn's E160006): the manifest's `ref:` (said where it
 * is written) or weft.lock's revision is wrong, not the network or the working copy.
 */
function noSuchRevision(source: SvnSource, rev: number | string, cause: string): Outcome | undefined {
  if (!/\bE160006\b/.test(cause)) return undefined;
  const o = failed('WEFT_E_SVN_REF', `svn source ${source.name}: ${source.url} has no revision ${rev}`, cause);
  const refLoc = source.revision === undefined ? (source.refLoc ?? source.loc) : undefined;
  return refMissing(o, source.name, refLoc, `fix \`ref\` in the manifest: a revision the repository has, or HEAD (svn info ${source.url} shows the newest)`);
}

async function converge(source: SvnSource, ctx: FetcherContext, previous?: PreviousCheckout): Promise<Outcome> {
  const { name, url, dir } = source;
  const problem = svnUrlProblem(url);
  if (problem) return failed('WEFT_E_SVN_UNSAFE', `svn source ${name}: refused URL ${url}: ${problem}`);
  const ref = source.revision ?? source.ref;
  const want = wantedSvnRev(ref);
  if (want === undefined) {
    return failed('WEFT_E_SVN_REF', `svn source ${name}: ref "${ref}" is not a revision number or HEAD`);
  }
  const svn = svnRunner(ctx);
  const state = await targetState(dir, '.svn');
  if (state === 'occupied' && previous?.fromBundle && previous.dir === dir) {
    // svn cannot make a working copy without its server, so a bundle leaves an export.
    if (want !== 'HEAD' && previous.revision === String(want)) {
      return { status: 'unchanged', revision: previous.revision, message: `r${previous.revision} from a bundle (an export, not a working copy)` };
    }
    return failed(
      'WEFT_E_SVN_EXPORT',
      `svn source ${name}: ${dir} is an export of r${previous.revision} from a bundle and the lock now asks for ${want === 'HEAD' ? 'HEAD' : `r${want}`}; an export cannot be updated: move it away (keep any edits) and run weft up online for a working copy`,
    );
  }
  if (state === 'occupied') {
    return failed(
      'WEFT_E_SVN_TARGET',
      `svn source ${name}: ${dir} exists and is not an svn working copy; left as it is (move it away or set another path)`,
    );
  }
  if (state === 'repo') return update(source, ctx, svn, want);
  if (ctx.offline) {
    return failed('WEFT_E_OFFLINE', `svn source ${name}: no checkout at ${dir} and it needs the network, which --offline forbids`);
  }
  ctx.report({ name, phase: 'fetching' });
  let cause = '';
  const info = await buildBeside(
    dir,
    async (into) => {
      const co = await svn.run(['checkout', '-r', String(want), '--', `${url}@${want}`, into], true);
      if (co.code !== 0) {
        cause = causeOf(co);
        return undefined;
      }
      return readInfo(svn, into);
    },
    (i) => i !== undefined,
  );
  if (!info) return noSuchRevision(source, want, cause) ?? failed('WEFT_E_SVN', `svn source ${name}: checkout of ${url} at ${want} failed`, cause);
  return { status: 'cloned', revision: String(info.lastChanged), message: `checked out r${info.lastChanged}` };
}

async function update(source: SvnSource, ctx: FetcherContext, svn: SvnRunner, want: number | 'HEAD'): Promise<Outcome> {
  const { name, url, dir } = source;
  const localRes = await svn.run(['info', '--xml', '--', dir], false);
  const local = localRes.code === 0 ? parseSvnInfo(localRes.stdout) : undefined;
  if (!local) {
    return failed('WEFT_E_SVN', `svn source ${name}: cannot read the working copy at ${dir} (try svn upgrade or svn cleanup there)`, causeOf(localRes));
  }
  if (!sameSvnUrl(local.url, url)) {
    return failed(
      'WEFT_E_SVN_TARGET',
      `svn source ${name}: ${dir} is a checkout of ${local.url}, not ${url}; left as it is (svn switch it yourself, or move it away)`,
    );
  }
  const at = String(local.lastChanged);
  const holds = (rev: number): boolean => local.lastChanged <= rev && rev <= local.revision;
  let target: number;
  if (want === 'HEAD') {
    if (ctx.offline) return { status: 'unchanged', revision: at, message: `offline: kept at r${at} without looking for newer revisions` };
    ctx.report({ name, phase: 'fetching' });
    const remoteRes = await svn.run(['info', '--xml', '-r', 'HEAD', '--', `${url}@HEAD`], true);
    const remote = remoteRes.code === 0 ? parseSvnInfo(remoteRes.stdout) : undefined;
    if (!remote) return failed('WEFT_E_SVN', `svn source ${name}: cannot read HEAD of ${url}`, causeOf(remoteRes));
    if (holds(remote.lastChanged)) return { status: 'unchanged', revision: at };
    target = remote.revision;
  } else {
    if (holds(want)) return { status: 'unchanged', revision: at };
    if (ctx.offline) {
      return failed('WEFT_E_OFFLINE', `svn source ${name}: at r${at}, wants r${want}; moving needs the network, which --offline forbids`);
    }
    target = want;
  }
  const statusRes = await svn.run(['status', '--xml', '--', dir], false);
  if (statusRes.code !== 0) return failed('WEFT_E_SVN', `svn source ${name}: svn status failed in ${dir}`, causeOf(statusRes));
  const changes = parseSvnStatus(statusRes.stdout);
  const rel = (path: string): string => relative(dir, path) || '.';
  const describe = (cs: SvnLocalChange[]): string => listPaths(cs.map((c) => `${rel(c.path)} (${c.what})`));
  // Unversioned files are the user's and --force keeps them; so do files only added (svn
  // revert leaves them unversioned). Only edits to versioned files are discarded.
  const unversioned = changes.filter((c) => c.what === 'unversioned');
  const added = changes.filter((c) => c.what === 'added');
  const reverted = changes.filter((c) => c.what !== 'unversioned' && c.what !== 'added');
  const notes: string[] = [];
  if (changes.length > 0) {
    if (!ctx.force) {
      return {
        status: 'skipped',
        revision: at,
        message:
          `local changes in ${dir}: ${describe(changes)}; left at r${at} instead of moving to r${target} so nothing is lost. ` +
          'Commit or revert them (svn status, svn revert) and move unversioned files away, then run again (--force discards edits; unversioned files are kept).',
      };
    }
    // --force: what goes is said before it goes.
    if (reverted.length) ctx.report({ name, phase: 'discarding', message: `--force: ${describe(reverted)}` });
    for (const args of [['cleanup'], ['revert', '-R']]) {
      const res = await svn.run([...args, '--', dir], false);
      if (res.code !== 0) return failed('WEFT_E_SVN', `svn source ${name}: svn ${args.join(' ')} failed in ${dir}`, causeOf(res));
    }
    if (reverted.length) notes.push(`discarded ${describe(reverted)}`);
  }
  ctx.report({ name, phase: 'checkout' });
  // --force: an unversioned file where the new revision has one is taken into the working
  // copy as a local change (svn update --force) rather than failing the update; it is named,
  // then reverted to the new revision's content below. Other unversioned files stay.
  const forced = ctx.force && changes.length > 0 ? ['--force'] : [];
  const up = await svn.run(['update', ...forced, '--accept', 'postpone', '-r', String(target), '--', dir], true);
  if (up.code !== 0) {
    const none = noSuchRevision(source, target, causeOf(up));
    if (none) return none;
    return failed('WEFT_E_SVN', `svn source ${name}: svn update to r${target} failed in ${dir} (svn cleanup there may be needed)`, causeOf(up));
  }
  if (forced.length) {
    const was = [...unversioned, ...added].map((c) => c.path);
    const under = (p: string): boolean => was.some((w) => p === w || p.startsWith(`${w}/`));
    const afterRes = await svn.run(['status', '--xml', '--', dir], false);
    if (afterRes.code !== 0) return failed('WEFT_E_SVN', `svn source ${name}: svn status failed in ${dir}`, causeOf(afterRes));
    const replaced = parseSvnStatus(afterRes.stdout).filter((c) => c.what !== 'unversioned' && under(c.path));
    if (replaced.length) {
      const what = listPaths(replaced.map((c) => rel(c.path)));
      ctx.report({ name, phase: 'discarding', message: `--force: ${what} (unversioned, and the new revision has them)` });
      const res = await svn.run(['revert', '-R', '--', ...replaced.map((c) => c.path)], false);
      if (res.code !== 0) return failed('WEFT_E_SVN', `svn source ${name}: svn revert failed in ${dir}`, causeOf(res));
      notes.push(`replaced by the new revision's: ${what}`);
    }
    const keptPaths = [...unversioned, ...added].filter((c) => !replaced.some((r) => r.path === c.path));
    if (keptPaths.length) notes.push(`kept: ${listPaths(keptPaths.map((c) => `${rel(c.path)} (${c.what === 'added' ? 'added, now unversioned' : 'unversioned'})`))}`);
  }
  const after = await readInfo(svn, dir);
  if (!after) return failed('WEFT_E_SVN', `svn source ${name}: cannot read the working copy at ${dir} after updating`);
  const now = String(after.lastChanged);
  if (now === at) return { status: 'unchanged', revision: now, ...(notes.length ? { message: notes.join('; ') } : {}) };
  return { status: 'updated', revision: now, message: [`r${at} → r${now}`, ...notes].join('; ') };
}

async function readInfo(svn: SvnRunner, dir: string): Promise<SvnInfo | undefined> {
  const res = await svn.run(['info', '--xml', '--', dir], false);
  return res.code === 0 ? parseSvnInfo(res.stdout) : undefined;
}

