// `weft switch NAME [BRANCH]`: makes a branch the active one of a source (its own checkout,
// or the main checkout with --in-place), or returns to the manifest's ref. What is active
// lives in .weft/state.json only — never in the manifest or the lock.
import { existsSync } from 'node:fs';
import { WeftError } from '../../errors.js';
import type { Plan, Source } from '../../types.js';
import { unsafeRefReason } from '../git/ref.js';
import { splitCredentials } from '../git/url.js';
import { readState, updateState, type SourceState } from '../state.js';
import { lockWorkspace } from '../workspace-lock.js';
import { branchGit, type BranchContext } from './context.js';
import { returnGitInPlace, switchGitInPlace, switchGitWorktree } from './git.js';
import { switchHg } from './hg.js';
import { branchDir } from './layout.js';
import { refuseOtherRepository } from './same-repo.js';
import { switchSvn } from './svn.js';

export interface SwitchOptions {
  create: boolean;
  push: boolean;
  inPlace: boolean;
}

export interface SwitchResult {
  /** The directory now active for the source. */
  dir: string;
  branch?: string;
  lines: string[];
}

export function sourceNamed(plan: Plan, name: string): Source {
  const s = plan.sources.find((x) => x.name === name);
  if (!s) throw new Error(`programmer error: ${name} was not checked against the plan`);
  return s;
}

/** The state entry of a source weft has checked out where the plan says; a WeftError otherwise. */
export function recordedEntry(plan: Plan, s: Source, doing: string): SourceState {
  const entry = readState(plan.workspace).sources[s.name];
  if (!entry || entry.dir !== s.dir || entry.type !== s.type) {
    throw new WeftError('WEFT_E_SWITCH_NO_CHECKOUT', `${doing}: ${s.name} has no checkout at ${s.dir} yet`, { hint: `run "weft up ${s.name}" first` });
  }
  return entry;
}

export async function switchSource(plan: Plan, name: string, branch: string | undefined, opts: SwitchOptions, ctx: BranchContext): Promise<SwitchResult> {
  const s = sourceNamed(plan, name);
  if (s.type === 'local' || s.type === 'archive') {
    throw new WeftError('WEFT_E_SWITCH_KIND', `${name} is a ${s.type} source, which has no branches`, { hint: 'weft switch works on git, svn and hg sources' });
  }
  if (branch !== undefined) {
    const why = unsafeRefReason(branch);
    if (why) throw new WeftError('WEFT_E_USAGE_BRANCH', `refusing branch name "${branch}": ${why}`, { hint: 'e.g. weft switch NAME feature/login' });
  } else if (opts.create || opts.push || opts.inPlace) {
    throw new WeftError('WEFT_E_USAGE', '--create, --push and --in-place need a BRANCH', { hint: `weft switch ${name} BRANCH --create` });
  }
  const lock = await lockWorkspace(plan.workspace, { waitMs: ctx.defaults.workspaceLockWaitMs, staleMs: ctx.defaults.staleLockMs });
  try {
    const entry = recordedEntry(plan, s, 'weft switch');
    // svn has no origin to compare here; svn switch itself refuses another repository's URL.
    if (s.type !== 'svn' && (branch !== undefined || entry.inPlace)) await refuseOtherRepository(s, 'weft switch');
    if (branch === undefined) return await switchBack(plan, s, entry, ctx);
    if (entry.inPlace && !opts.inPlace) {
      throw new WeftError('WEFT_E_SWITCH_IN_PLACE', `${name}: the main checkout is switched in place to ${entry.activeBranch}`, {
        hint: `return it first (weft switch ${name}), or switch it in place again with --in-place`,
      });
    }
    if (s.type === 'hg') {
      const done = await switchHg(s, branch, opts, ctx);
      updateState(plan.workspace, { [name]: { activeDir: undefined, activeBranch: branch, inPlace: true } });
      return { dir: s.dir, branch, lines: done };
    }
    const worktreeDir = entry.branchDirs?.[branch] ?? branchDir(plan.root, name, branch);
    if (s.type === 'svn') {
      const done = await switchSvn(s, { branch, worktreeDir, activeDir: entry.activeDir ?? s.dir, ...opts }, ctx);
      const fields: Partial<SourceState> = opts.inPlace
        ? { activeDir: undefined, activeBranch: branch, inPlace: true }
        : { activeDir: worktreeDir, activeBranch: branch, inPlace: undefined, branchDirs: { ...entry.branchDirs, [branch]: worktreeDir } };
      updateState(plan.workspace, { [name]: fields });
      return { dir: done.dir, branch, lines: done.lines };
    }
    const git = branchGit(ctx);
    const creds = credsOf(s.url);
    const input = { name, mainDir: s.dir, activeDir: entry.activeDir ?? s.dir, branch, worktreeDir, creds, create: opts.create, push: opts.push };
    if (opts.inPlace) {
      // The branch state is recorded before publishing: a failed push leaves the switch standing.
      const done = await switchGitInPlace(git, input).catch(recordAnyway(plan, name, { activeDir: undefined, activeBranch: branch, inPlace: true }));
      updateState(plan.workspace, { [name]: { activeDir: undefined, activeBranch: branch, inPlace: true } });
      return { dir: s.dir, branch, lines: done.lines };
    }
    const fields = { activeDir: worktreeDir, activeBranch: branch, inPlace: undefined, branchDirs: { ...entry.branchDirs, [branch]: worktreeDir } };
    const done = await switchGitWorktree(git, input).catch(recordAnyway(plan, name, fields));
    updateState(plan.workspace, { [name]: fields });
    return { dir: done.dir, branch, lines: done.lines };
  } finally {
    lock.release();
  }
}

/** A push that failed after the checkout was made still leaves that checkout active. */
function recordAnyway(plan: Plan, name: string, fields: Partial<SourceState>) {
  return (err: unknown): never => {
    if (err instanceof WeftError && err.code === 'WEFT_E_SWITCH_PUSH') updateState(plan.workspace, { [name]: fields });
    throw err;
  };
}

function credsOf(url: string) {
  const { username, password } = splitCredentials(url);
  return username !== undefined || password !== undefined ? { username, password } : undefined;
}

async function switchBack(plan: Plan, s: Source, entry: SourceState, ctx: BranchContext): Promise<SwitchResult> {
  const clear: Partial<SourceState> = { activeDir: undefined, activeBranch: undefined, inPlace: undefined };
  if (entry.inPlace) {
    let lines: string[];
    if (s.type === 'git') lines = await returnGitInPlace(branchGit(ctx), s.name, s.dir, { branch: entry.branch, revision: entry.revision });
    else if (s.type === 'svn') lines = await switchSvn(s, { back: true, branch: '', worktreeDir: '', activeDir: s.dir, create: false, push: false, inPlace: true }, ctx).then((d) => d.lines);
    else if (s.type === 'hg') lines = await switchHg(s, undefined, { create: false, push: false, inPlace: true }, ctx);
    else lines = [];
    updateState(plan.workspace, { [s.name]: clear });
    return { dir: s.dir, lines };
  }
  if (typeof entry.activeDir === 'string') {
    const branch = entry.activeBranch ?? 'the branch';
    if (!existsSync(entry.activeDir)) {
      // Removed behind weft's back (git worktree remove): nothing is kept there to go back to.
      const { [branch]: _gone, ...kept } = entry.branchDirs ?? {};
      updateState(plan.workspace, { [s.name]: { ...clear, branchDirs: Object.keys(kept).length ? kept : undefined } });
      return { dir: s.dir, lines: [`${s.name}: the main checkout ${s.dir} is active again`, `${s.name}: the checkout of ${branch} at ${entry.activeDir} was already gone`] };
    }
    updateState(plan.workspace, { [s.name]: clear });
    return {
      dir: s.dir,
      lines: [
        `${s.name}: the main checkout ${s.dir} is active again`,
        `${s.name}: ${branch} keeps its checkout at ${entry.activeDir}, untouched (weft switch ${s.name} ${entry.activeBranch ?? 'BRANCH'} to go back to it)`,
      ],
    };
  }
  return { dir: s.dir, lines: [`${s.name}: already on the manifest's ref in ${s.dir}; nothing to do`] };
}
