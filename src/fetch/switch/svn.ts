// `weft switch` for svn, in Combinator's layout: a source's URL ends in /trunk or
// /branches/NAME, and branch B lives at <base>/branches/B. A branch gets its own working
// copy (like git's worktree), or with --in-place the main working copy is `svn switch`ed.
// svn branches exist only on the server, so --create copies there (it is published at
// once; --push has nothing left to do).
import { exec, type ExecResult } from '../../exec.js';
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import type { SvnSource } from '../../types.js';
import { inspectSvn } from '../inspect/svn.js';
import { buildBeside, targetState } from '../vcs-common.js';
import { parseSvnInfo, sameSvnUrl, svnUrlProblem } from '../vcs-svn.js';
import type { BranchContext } from './context.js';
import { counts } from '../../words.js';

export interface SvnSwitchInput {
  branch: string;
  worktreeDir: string;
  activeDir: string;
  create: boolean;
  push: boolean;
  inPlace: boolean;
  /** Return the main working copy to the manifest's URL. */
  back?: boolean;
}

/** The repository path above /trunk or /branches/X, or undefined outside that layout. */
export function svnBaseOf(url: string): string | undefined {
  return /^(.*)\/(?:trunk|branches\/[^/]+)\/?$/.exec(url)?.[1];
}

/** The repository path above /trunk or /branches/X, or a WeftError naming the layout. */
export function svnBase(name: string, url: string): string {
  const base = svnBaseOf(url);
  if (base === undefined) {
    throw new WeftError('WEFT_E_SWITCH_SVN_LAYOUT', `${name}: svn URL ${redact(url)} does not end in /trunk or /branches/NAME, so weft cannot tell where its branches are`, {
      hint: 'point the source at the trunk (…/trunk) of a trunk/branches/tags repository',
    });
  }
  return base;
}

function runner(ctx: BranchContext) {
  return (args: string[], network: boolean): Promise<ExecResult> =>
    exec('svn', [args[0]!, '--non-interactive', '--no-auth-cache', ...args.slice(1)], {
      env: ctx.env,
      timeoutMs: network ? ctx.defaults.gitTimeoutMs : ctx.defaults.gitQuickTimeoutMs,
    });
}

function svnFailed(name: string, what: string, res: ExecResult): WeftError {
  return new WeftError('WEFT_E_SWITCH_SVN', `${name}: ${what} failed: ${redact(res.stderr.trim().split('\n').slice(-2).join(' '))}`, {
    hint: 'nothing else was changed; fix what svn says and run again',
  });
}

export async function switchSvn(s: SvnSource, i: SvnSwitchInput, ctx: BranchContext): Promise<{ dir: string; lines: string[] }> {
  const svn = runner(ctx);
  const base = svnBase(s.name, s.url);
  if (!i.back && i.branch.includes('/')) {
    // branches/a/b is directory b inside branch a: --create would commit a copy into branch a.
    const [first, ...rest] = i.branch.split('/');
    throw new WeftError('WEFT_E_USAGE_BRANCH', `refusing svn branch name "${i.branch}": an svn branch is one directory under branches/, so it would be the directory ${rest.join('/')} inside branch ${first}`, {
      hint: `name the branch without "/", e.g. ${i.branch.replaceAll('/', '-')}`,
    });
  }
  const branchUrl = `${base}/branches/${i.branch}`;
  const why = svnUrlProblem(branchUrl);
  if (why) throw new WeftError('WEFT_E_SWITCH_SVN_LAYOUT', `${s.name}: refused URL ${redact(branchUrl)}: ${why}`);
  if (i.inPlace) {
    const now = await inspectSvn(s.dir, { env: ctx.env, cacheDir: ctx.cacheDir });
    if (now.modified || now.untracked) {
      throw new WeftError('WEFT_E_SWITCH_DIRTY', `${s.name}: refused to svn switch ${s.dir}: ${counts([[now.modified, 'modified item'], [now.untracked, 'unversioned item']])} could be mixed into another branch`, {
        hint: 'commit or revert them (svn status) and move unversioned files away; nothing was changed',
      });
    }
  }
  const lines: string[] = [];
  if (!i.back) {
    const exists = (await svn(['info', '--xml', '--', `${branchUrl}@HEAD`], true)).code === 0;
    if (i.create && exists) {
      throw new WeftError('WEFT_E_SWITCH_EXISTS', `${s.name}: ${redact(branchUrl)} already exists; --create makes a new branch`, { hint: `weft switch ${s.name} ${i.branch}` });
    }
    if (!i.create && !exists) {
      throw new WeftError('WEFT_E_SWITCH_NO_BRANCH', `${s.name}: the repository has no ${redact(branchUrl)}`, { hint: `to start it from the current revision: weft switch ${s.name} ${i.branch} --create` });
    }
    if (i.create) {
      const info = parseSvnInfo((await svn(['info', '--xml', '--', i.activeDir], false)).stdout);
      if (!info) throw new WeftError('WEFT_E_SWITCH_SVN', `${s.name}: cannot read the working copy ${i.activeDir}`, { hint: 'svn cleanup there, then run again' });
      const copy = await svn(['copy', '--parents', '-m', `weft switch --create ${i.branch}`, '--', `${info.url}@${info.revision}`, branchUrl], true);
      if (copy.code !== 0) throw svnFailed(s.name, `svn copy to ${branchUrl}`, copy);
      lines.push(`${s.name}: created ${redact(branchUrl)} on the server from r${info.revision} (svn branches are published as they are made)`);
    }
  }
  if (i.inPlace) {
    const target = i.back ? `${s.url}@${s.revision ?? 'HEAD'}` : `${branchUrl}@HEAD`;
    const sw = await svn(['switch', '--', target, s.dir], true);
    if (sw.code !== 0) throw svnFailed(s.name, `svn switch of ${s.dir}`, sw);
    lines.push(`${s.name}: ${s.dir} switched in place to ${redact(i.back ? s.url : branchUrl)}`);
    return { dir: s.dir, lines };
  }
  const at = await targetState(i.worktreeDir, '.svn');
  if (at === 'repo') {
    const info = parseSvnInfo((await svn(['info', '--xml', '--', i.worktreeDir], false)).stdout);
    if (!info || !sameSvnUrl(info.url, branchUrl)) {
      throw new WeftError('WEFT_E_SWITCH_TARGET', `${s.name}: ${i.worktreeDir} is a working copy of ${redact(info?.url ?? 'something else')}, not ${redact(branchUrl)}`, { hint: 'move it away, then run again' });
    }
    lines.push(`${s.name}: using the existing working copy of ${i.branch} at ${i.worktreeDir} as it is`);
  } else if (at === 'occupied') {
    throw new WeftError('WEFT_E_SWITCH_TARGET', `${s.name}: ${i.worktreeDir} exists and is not an svn working copy; weft leaves it alone`, { hint: 'move it away, then run again' });
  } else {
    let failure: ExecResult | undefined;
    await buildBeside(i.worktreeDir, async (into) => {
      const co = await svn(['checkout', '-q', '--', `${branchUrl}@HEAD`, into], true);
      if (co.code !== 0) failure = co;
      return co.code === 0;
    }, (ok) => ok);
    if (failure) throw svnFailed(s.name, `svn checkout of ${branchUrl}`, failure);
    lines.push(`${s.name}: checked out ${redact(branchUrl)} at ${i.worktreeDir}`);
  }
  lines.push(`${s.name}: main working copy ${s.dir} left as it is`);
  return { dir: i.worktreeDir, lines };
}
