// `weft switch` for Mercurial: named branches live in one repository, so the main checkout
// is updated in place (`hg update BRANCH`), only when it has no local changes. Without
// --in-place it is refused with that explanation rather than guessing at a layout.
import { exec, type ExecResult } from '../../exec.js';
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import type { HgSource } from '../../types.js';
import { inspectHg } from '../inspect/hg.js';
import type { BranchContext } from './context.js';
import { counts } from '../../words.js';

export async function switchHg(s: HgSource, branch: string | undefined, opts: { create: boolean; push: boolean; inPlace: boolean }, ctx: BranchContext): Promise<string[]> {
  if (!opts.inPlace) {
    throw new WeftError('WEFT_E_SWITCH_HG', `${s.name}: Mercurial named branches share one repository, so weft switches hg sources only in place`, {
      hint: `weft switch ${s.name} ${branch} --in-place`,
    });
  }
  if (opts.create || opts.push) {
    throw new WeftError('WEFT_E_SWITCH_HG', `${s.name}: --create and --push are not supported for hg sources`, { hint: 'make the branch with hg branch NAME and commit, then switch to it' });
  }
  // Same isolation as the fetcher: a repository's own hgrc could name hooks or extensions.
  const env: NodeJS.ProcessEnv = { ...ctx.env, HGPLAIN: '1', HGRCPATH: '', HGRCSKIPREPO: '1' };
  const hg = (args: string[], network = false): Promise<ExecResult> =>
    exec('hg', ['--noninteractive', '--cwd', s.dir, ...args], { env, timeoutMs: network ? ctx.defaults.gitTimeoutMs : ctx.defaults.gitQuickTimeoutMs });
  const now = await inspectHg(s.dir, { env: ctx.env, cacheDir: ctx.cacheDir });
  if (now.problem) throw new WeftError('WEFT_E_SWITCH_NO_CHECKOUT', `${s.name}: ${s.dir}: ${now.problem}`, { hint: `run "weft up ${s.name}"` });
  if (now.modified || now.untracked) {
    throw new WeftError('WEFT_E_SWITCH_DIRTY', `${s.name}: refused to update ${s.dir}: ${counts([[now.modified, 'modified file'], [now.untracked, 'untracked file']])}`, {
      hint: 'commit, shelve or remove them (hg status); nothing was changed',
    });
  }
  const target = branch ?? s.revision ?? s.ref ?? 'default';
  if (branch !== undefined && (await hg(['log', '-r', `branch(${JSON.stringify(branch)})`, '-l', '1', '--template', '{node}'])).stdout.trim() === '') {
    const pulled = await hg(['pull', '--quiet', '--branch', branch, '--', s.url], true);
    if (pulled.code !== 0) {
      throw new WeftError('WEFT_E_SWITCH_NO_BRANCH', `${s.name}: no branch ${branch} here or at ${redact(s.url)}: ${redact(pulled.stderr.trim())}`, { hint: 'check the branch name (hg branches)' });
    }
  }
  const up = await hg(['update', '--check', '--', target]);
  if (up.code !== 0) {
    throw new WeftError('WEFT_E_SWITCH_HG', `${s.name}: hg update ${target} failed: ${redact(up.stderr.trim())}`, { hint: 'nothing was changed' });
  }
  return [`${s.name}: ${s.dir} updated in place to ${branch ?? `the manifest's ${target.slice(0, 12)}`}`];
}
