// The git fetcher: refuse unsafe input, answer no-ops from disk, otherwise make sure the
// cache's mirror can answer, then clone or carefully move the checkout.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { redact } from '../../redact.js';
import type { Checkout, GitSource } from '../../types.js';
import type { Fetcher, FetcherContext, Joining, PreviousCheckout } from '../fetcher.js';
import { expectCheckout } from './checkout-batch.js';
import { cloneFirst } from './clone-first.js';
import { cloneCheckout } from './clone.js';
import { pinnedAndUnchanged } from './fast.js';
import { SourceFailure } from './failure.js';
import { healing } from './heal.js';
import { missingTool } from '../tools.js';
import { ensureMirror } from './mirror.js';
import { isFullCommit, unsafeRefReason } from './ref.js';
import { gitDirOf, readHead, readOriginUrl } from './refs-fs.js';
import { createGit, type Git, type GitCredentials } from './run.js';
import { submodulesPending, updateSubmodules } from './submodules.js';
import { updateCheckout } from './update.js';
import { normaliseUrl, splitCredentials, unsafeUrlReason } from './url.js';
import { NO_REF } from './no-ref.js';
import { mirrorNeed, resolveWant } from './want.js';

function statOf(path: string): Stats | undefined {
  try {
    // A new checkout's dir is absent: asked, not thrown (a stack trace per source).
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Refuses option-like or command-running URLs and refs before any git process starts. */
function checkInput(s: GitSource): void {
  const urlWhy = unsafeUrlReason(s.url);
  if (urlWhy) throw new SourceFailure('WEFT_E_GIT_UNSAFE_URL', `refusing git URL "${redact(s.url)}" of source ${s.name}: ${urlWhy}`);
  if (s.ref !== undefined) {
    const refWhy = unsafeRefReason(s.ref);
    if (refWhy) throw new SourceFailure('WEFT_E_GIT_UNSAFE_REF', `refusing ref "${s.ref}" of source ${s.name}: ${refWhy}`);
  }
  if (s.commit !== undefined && !isFullCommit(s.commit)) {
    throw new SourceFailure('WEFT_E_GIT_UNSAFE_REF', `refusing commit "${s.commit}" of source ${s.name}: not a full commit id`);
  }
}

/** The existing checkout's git dir, undefined when there is none yet (absent or empty dir). */
function existingCheckout(s: GitSource): string | undefined {
  const st = statOf(s.dir);
  if (!st) return undefined;
  // The .git first: listing a whole checkout just to see it is not empty costs a no-op run.
  const gitDir = st.isDirectory() ? gitDirOf(s.dir) : undefined;
  if (!gitDir && st.isDirectory() && readdirSync(s.dir).length === 0) return undefined;
  if (!gitDir) {
    throw new SourceFailure('WEFT_E_GIT_NOT_CHECKOUT', `${s.dir} exists and is not a git checkout; weft leaves it alone (move it away, or give the source another path)`);
  }
  const origin = readOriginUrl(gitDir);
  if (!origin || normaliseUrl(origin) !== normaliseUrl(s.url)) {
    throw new SourceFailure(
      'WEFT_E_GIT_OTHER_REPO',
      `${s.dir} is a checkout of ${origin ? redact(origin) : 'a repository without an origin'}, not ${redact(s.url)}; weft leaves it alone (move it away, or fix the source's URL)`,
    );
  }
  return gitDir;
}

/** The mirror-first way: make the cache's mirror answer, then clone or move the checkout from it. */
async function viaMirror(
  git: Git,
  ctx: FetcherContext,
  s: GitSource,
  url: string,
  creds: GitCredentials | undefined,
  gitDir: string | undefined,
  previous: PreviousCheckout | undefined,
): Promise<{ status: Checkout['status']; message?: string; target?: string }> {
  let mirror: string;
  try {
    mirror = await ensureMirror(git, ctx, { url, creds, depth: s.depth, need: mirrorNeed(s) }, s.name);
  } catch (err) {
    // Offline with a checkout but no mirror: keep what is there rather than fail.
    if (err instanceof SourceFailure && err.code === 'WEFT_E_OFFLINE' && gitDir && mirrorNeed(s).kind === 'latest') {
      return { status: 'unchanged', message: 'offline: not compared with the remote' };
    }
    throw err;
  }
  const want = await resolveWant(git, mirror, { ...s, url }).catch((err: unknown) => {
    // Offline, the cache's copy is all weft can see: a name not in it may well be upstream.
    if (ctx.offline && err instanceof SourceFailure && err.code === NO_REF) {
      const what = s.ref === undefined ? 'the default branch' : `ref "${s.ref}"`;
      throw new SourceFailure('WEFT_E_OFFLINE', `${what} is not in the cache's copy of ${redact(url)}; run without --offline to look for it there`);
    }
    throw err;
  });
  ctx.report({ name: s.name, phase: 'checkout' });
  if (!gitDir) {
    await cloneCheckout(git, ctx, s, mirror, want);
    return { status: 'cloned' };
  }
  return { ...(await updateCheckout(git, ctx, s, gitDir, mirror, want, previous)), target: want.commit };
}

export const fetchGit: Fetcher<GitSource> = async (s, runCtx, previous) => {
  const base = { name: s.name, type: 'git' as const, dir: s.dir };
  let joining: Joining | undefined;
  try {
    checkInput(s);
    const { url, username, password } = splitCredentials(s.url);
    const creds = username !== undefined || password !== undefined ? { username, password } : undefined;
    const gitDir = existingCheckout(s);
    // Said before the first wait: a group of new checkouts beside this one waits for it.
    joining = gitDir ? undefined : expectCheckout(runCtx, s.dir, url);
    const ctx = joining ? { ...runCtx, joining } : runCtx;
    const git = createGit(ctx);
    if (gitDir) {
      const head = await pinnedAndUnchanged(git, s, gitDir);
      if (head) return { ...base, status: 'unchanged', revision: head.commit, branch: head.branch };
    }

    // Past the no-op check (which reads files only), git itself is needed.
    const missing = await missingTool(ctx, 'git');
    if (missing) throw new SourceFailure('WEFT_E_TOOL_MISSING', missing);
    // A damaged cache entry is set aside and this runs once more (heal.ts).
    const converge = async (): Promise<{ status: Checkout['status']; message?: string; target?: string }> =>
      !gitDir && (await cloneFirst(git, ctx, { ...s, url }, creds)) ? { status: 'cloned' } : viaMirror(git, ctx, s, url, creds, gitDir, previous);
    const { status, message: said, healed, target } = await healing(git, ctx, { url, name: s.name }, converge);
    let message = said;
    if (s.submodules && (status === 'cloned' || status === 'updated' || submodulesPending(s.dir))) {
      if (ctx.offline) message = [message, 'offline: submodules not updated'].filter(Boolean).join('; ');
      else await updateSubmodules(git, s.dir, url);
    }
    const head = readHead(gitDirOf(s.dir) ?? s.dir);
    // Left ahead of what upstream has (the user's own commits on the branch): the lock and
    // the state record upstream's commit, never one only this checkout has.
    const locked = status === 'unchanged' && target !== undefined && target !== head?.commit ? { locked: target } : {};
    return { ...base, status, revision: head?.commit, branch: head?.branch, message, ...locked, ...(healed ? { cacheHealed: true } : {}) };
  } catch (err) {
    if (!(err instanceof SourceFailure)) throw err;
    // A ref upstream lacks is the manifest's mistake: say where it is written.
    const at = err.code === NO_REF ? { loc: s.refLoc ?? s.loc } : {};
    return { ...base, status: 'failed', message: err.message, cause: err.detail, code: err.code, needsAuth: err.needsAuth || undefined, ...at, ...(err.hint ? { hint: err.hint } : {}) };
  } finally {
    joining?.leave();
  }
};
