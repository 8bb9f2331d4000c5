// The no-op check: is the checkout already where the plan pins it? Answered from files
// on disk (HEAD, refs, packed-refs) so an unchanged workspace costs no git process and
// no network. Floating branches are never answered here: they need the remote.
import { lstatSync } from 'node:fs';
import type { Checkout, GitSource } from '../../types.js';
import { isFullCommit, unsafeRefReason } from './ref.js';
import { gitDirOf, readHead, readOriginUrl, readRef, readSymref, type Head } from './refs-fs.js';
import type { Git } from './run.js';
import { submodulesPending } from './submodules.js';
import { normaliseUrl, unsafeUrlReason } from './url.js';

/**
 * The Checkout fetchGit (index.ts) returns for a source already where the plan pins it,
 * found with the same checks in the same order — safe input, a real checkout (not a
 * symlink, not another repository), HEAD at the pinned commit — but without loading the
 * clone, mirror and update machinery. Undefined whenever anything differs or is unusual:
 * the full fetcher then decides, and reports.
 */
export async function unchangedCheckout(s: GitSource, git: () => Git): Promise<Checkout | undefined> {
  if (unsafeUrlReason(s.url) || (s.ref !== undefined && unsafeRefReason(s.ref)) || (s.commit !== undefined && !isFullCommit(s.commit))) return undefined;
  try {
    if (!lstatSync(s.dir).isDirectory()) return undefined;
    const gitDir = gitDirOf(s.dir);
    const origin = gitDir && readOriginUrl(gitDir);
    if (!gitDir || !origin || normaliseUrl(origin) !== normaliseUrl(s.url)) return undefined;
    const head = await pinnedAndUnchanged(git(), s, gitDir);
    return head && { name: s.name, type: 'git', dir: s.dir, status: 'unchanged', revision: head.commit, branch: head.branch };
  } catch {
    return undefined;
  }
}

/**
 * The HEAD when the checkout already matches a pinned ref (commit, tag, or locked branch)
 * and has the submodules it asks for; else undefined.
 */
export async function pinnedAndUnchanged(git: Git, s: GitSource, gitDir: string): Promise<Head | undefined> {
  const head = readHead(gitDir);
  if (!head?.commit) return undefined;
  if (s.submodules && submodulesPending(s.dir)) return undefined;
  const ref = s.ref;
  if (ref !== undefined && isFullCommit(ref)) {
    return !head.branch && head.commit === (s.commit ?? ref) ? head : undefined;
  }
  const name = ref?.replace(/^refs\/(heads|tags)\//, '');
  const isTag =
    ref !== undefined &&
    (ref.startsWith('refs/tags/') || (!ref.startsWith('refs/') && !!readRef(gitDir, `refs/tags/${name}`) && !readRef(gitDir, `refs/remotes/origin/${name}`)));
  if (isTag) {
    if (head.branch) return undefined;
    if (s.commit) return head.commit === s.commit ? head : undefined;
    const tag = readRef(gitDir, `refs/tags/${name}`);
    if (!tag) return undefined;
    if ((tag.peeled ?? tag.commit) === head.commit) return head;
    if (tag.peeled) return undefined;
    // A loose annotated tag: peeling needs the object store; still local and cheap.
    const res = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/tags/${name}^{commit}`], { cwd: gitDir });
    return res.code === 0 && res.stdout.trim() === head.commit ? head : undefined;
  }
  // A branch (named or the default one) is pinned only by a locked commit.
  if (!s.commit || head.commit !== s.commit) return undefined;
  const branch = name ?? readSymref(gitDir, 'refs/remotes/origin/HEAD')?.replace(/^refs\/remotes\/origin\//, '');
  return branch !== undefined && head.branch === branch ? head : undefined;
}
