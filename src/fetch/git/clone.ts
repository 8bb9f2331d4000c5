// A new checkout, made from the mirror without a second network transfer: objects are
// hardlinked (by materialize.ts, else `clone --local`), so it stays whole if the cache is
// deleted. Built beside
// the target and renamed onto it last, so an interrupted clone never leaves half a
// checkout where the user looks.
import { existsSync, mkdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GitSource } from '../../types.js';
import { removeScratch, scratchName, scratchParent, scratchPrefix } from '../tmp.js';
import { ok } from './failure.js';
import type { FetcherContext } from '../fetcher.js';
import { once } from '../once.js';
import { writeCheckout } from './checkout-batch.js';
import { prepareGitDir, probeFsTraits } from './materialize.js';
import type { Git } from './run.js';
import { userTemplate } from './template.js';
import { splitCredentials } from './url.js';
import type { Want } from './want.js';

/** Clones `mirror` into `s.dir` at `want`; `target` must be absent or an empty directory. */
export async function cloneCheckout(git: Git, ctx: FetcherContext, s: GitSource, mirror: string, want: Want): Promise<void> {
  const parent = dirname(s.dir);
  await scratchParent(ctx, parent);
  const tmp = join(parent, scratchPrefix(s.dir) + scratchName());
  try {
    const origin = splitCredentials(s.url).url;
    if (!(await fromMirror(git, ctx, tmp, mirror, origin, want))) {
      // git's own clone, not a group's job: checkouts waiting beside this one go on.
      ctx.joining?.leave();
      rmSync(tmp, { recursive: true, force: true });
      const named = want.branch ?? want.tag;
      ok(
        await git(['clone', '--quiet', '--no-checkout', '--local', ...(named ? ['--branch', named] : []), '--', mirror, tmp]),
        'creating the checkout from the cache',
      );
      ok(await git(['remote', 'set-url', 'origin', origin], { cwd: tmp }), 'setting origin');
      await checkoutWant(git, tmp, want, false);
    }
    if (existsSync(s.dir)) rmdirSync(s.dir);
    renameSync(tmp, s.dir);
  } finally {
    removeScratch(tmp);
  }
}

/** The one-process way (see materialize.ts); false when git's own clone must do it. */
async function fromMirror(git: Git, ctx: FetcherContext, tmp: string, mirror: string, origin: string, want: Want): Promise<boolean> {
  // A template of the user's own belongs in every clone: git's clone copies it.
  if (await userTemplate(ctx)) return false;
  // Probed inside the first new checkout (removed with it if anything fails), shared by
  // every checkout made beside it.
  mkdirSync(tmp);
  const traits = await once(ctx, `git:fs-traits:${dirname(tmp)}`, async () => probeFsTraits(tmp));
  const rest = prepareGitDir(tmp, mirror, origin, want, traits);
  if (!rest) return false;
  // The rest of the .git, the index and the work tree from HEAD; a failure here (an
  // object gc removed from the mirror meanwhile) leaves git's clone to try.
  return writeCheckout(git, ctx, tmp, want.commit, traits, rest);
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
