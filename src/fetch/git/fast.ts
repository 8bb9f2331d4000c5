// The no-op check: is the checkout already where the plan pins it? Answered from files
// on disk (HEAD, refs, packed-refs) so an unchanged workspace costs no git process and
// no network. Floating branches are never answered here: they need the remote.
import type { GitSource } from '../../types.js';
import { isFullCommit } from './ref.js';
import { readHead, readRef, readSymref, type Head } from './refs-fs.js';
import type { Git } from './run.js';

/** The HEAD when the checkout already matches a pinned ref (commit, tag, or locked branch); else undefined. */
export async function pinnedAndUnchanged(git: Git, s: GitSource, gitDir: string): Promise<Head | undefined> {
  const head = readHead(gitDir);
  if (!head?.commit) return undefined;
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
