// A new checkout, made from the mirror without a second network transfer: objects are
// hardlinked (`clone --local`), so it stays whole if the cache is deleted. Built beside
// the target and renamed onto it last, so an interrupted clone never leaves half a
// checkout where the user looks.
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { GitSource } from '../../types.js';
import { scratchName, sweepAbandoned } from '../tmp.js';
import { ok } from './failure.js';
import type { Git } from './run.js';
import { splitCredentials } from './url.js';
import type { Want } from './want.js';

export function scratchPrefix(target: string): string {
  return `.${basename(target)}.weft-tmp-`;
}

/** Clones `mirror` into `s.dir` at `want`; `target` must be absent or an empty directory. */
export async function cloneCheckout(git: Git, s: GitSource, mirror: string, want: Want): Promise<void> {
  const parent = dirname(s.dir);
  mkdirSync(parent, { recursive: true });
  sweepAbandoned(parent, scratchPrefix(s.dir));
  const tmp = join(parent, scratchPrefix(s.dir) + scratchName());
  try {
    const named = want.branch ?? want.tag;
    ok(
      await git(['clone', '--quiet', '--no-checkout', '--local', ...(named ? ['--branch', named] : []), '--', mirror, tmp]),
      'creating the checkout from the cache',
    );
    ok(await git(['remote', 'set-url', 'origin', splitCredentials(s.url).url], { cwd: tmp }), 'setting origin');
    await checkoutWant(git, tmp, want, false);
    if (existsSync(s.dir)) rmdirSync(s.dir);
    renameSync(tmp, s.dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Puts `dir` on `want`: the branch at its commit (tracking origin/<branch>) or detached. */
export async function checkoutWant(git: Git, dir: string, want: Want, force: boolean): Promise<void> {
  const f = force ? ['--force'] : [];
  if (want.branch) {
    ok(await git(['checkout', '--quiet', ...f, '-B', want.branch, want.commit], { cwd: dir }), `checking out ${want.branch}`);
    const upstream = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${want.branch}`], { cwd: dir });
    if (upstream.code === 0) {
      ok(await git(['branch', '--quiet', `--set-upstream-to=origin/${want.branch}`, want.branch], { cwd: dir }), 'setting the upstream branch');
    }
  } else {
    ok(await git(['checkout', '--quiet', ...f, '--detach', want.commit], { cwd: dir }), `checking out ${want.tag ?? want.commit}`);
  }
}
