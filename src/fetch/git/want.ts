// What a git source asks for, resolved against a repository that has its refs: a branch
// (with the commit it should be at) or a detached commit (maybe named by a tag).
import { redact } from '../../redact.js';
import type { GitSource } from '../../types.js';
import { damageLine } from './damage.js';
import { gitFailure, SourceFailure } from './failure.js';
import type { MirrorNeed } from './mirror.js';
import { isAbbreviatedCommit, isFullCommit, unsafeRefReason } from './ref.js';
import { NO_REF, noRefHint, shortRefNames } from './no-ref.js';
import { listRefs, readRef, readSymref } from './refs-fs.js';
import type { Git } from './run.js';

export interface Want {
  /** Local branch to be on; undefined means detached. */
  branch?: string;
  commit: string;
  tag?: string;
}

/** What the mirror must be able to answer for this source (decides whether to fetch). */
export function mirrorNeed(s: GitSource): MirrorNeed {
  const ref = s.ref;
  if (s.commit) {
    // resolveWant reads the branch or tag from the mirror even when the lock pins the
    // commit: a tag or branch made upstream on a commit the mirror already holds needs a
    // fetch all the same.
    const names = ref === undefined || isFullCommit(ref) ? [] : refNames(ref);
    return names.length ? { kind: 'commit', commit: s.commit, names } : { kind: 'commit', commit: s.commit };
  }
  if (ref === undefined || ref.startsWith('refs/heads/')) return { kind: 'latest' };
  if (isFullCommit(ref)) return { kind: 'commit', commit: ref };
  if (ref.startsWith('refs/tags/')) return { kind: 'name', ref: ref.slice('refs/tags/'.length) };
  if (ref.startsWith('refs/')) return { kind: 'latest' };
  return { kind: 'name', ref };
}

/** The mirror refs one of which `ref` names, as resolveWant looks it up; none for other refs/ and abbreviated commits. */
function refNames(ref: string): string[] {
  if (ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) return [ref];
  if (ref.startsWith('refs/') || isAbbreviatedCommit(ref)) return [];
  return [`refs/heads/${ref}`, `refs/tags/${ref}`];
}

/** The commit `ref` names in `repo`; undefined when it names none. Throws a git failure when the repository is damaged. */
export async function peel(git: Git, repo: string, ref: string): Promise<string | undefined> {
  const res = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: repo });
  const out = res.stdout.trim();
  if (res.code === 0 && isFullCommit(out)) return out;
  // --quiet silences "not found", not a damaged repository: that is a git failure (which
  // the fetcher's healing judges, see heal.ts), not a missing ref.
  if (res.code !== 0 && damageLine(res.stderr, repo)) throw gitFailure(`reading ${ref}`, res);
  return undefined;
}

/** Resolves the source's ref in a bare mirror (branches are refs/heads/*, tags refs/tags/*). */
export async function resolveWant(git: Git, mirror: string, s: GitSource): Promise<Want> {
  const notFound = (what: string) => new SourceFailure(NO_REF, `${what} is not in ${redact(s.url)}`, undefined, false, noRefHint(s.url, s.ref, mirrorRefNames(mirror)));
  const branchWant = (branch: string): Want => {
    const at = s.commit ?? readRef(mirror, `refs/heads/${branch}`)?.commit;
    if (!at) throw notFound(`branch "${branch}"`);
    return { branch, commit: at };
  };
  const ref = s.ref;
  if (ref === undefined) {
    const head = readSymref(mirror, 'HEAD');
    if (!head?.startsWith('refs/heads/') || !readRef(mirror, head)) {
      if (s.commit) return { commit: s.commit };
      throw new SourceFailure(NO_REF, `${redact(s.url)} has no default branch (is it empty?)`, undefined, false, noRefHint(s.url, undefined, undefined));
    }
    const branch = head.slice('refs/heads/'.length);
    // The default branch's name comes from the remote: it must pass the same checks as the manifest's refs.
    if (unsafeRefReason(branch)) throw new SourceFailure('WEFT_E_GIT_UNSAFE_REF', `${redact(s.url)} names an unsafe default branch`);
    return branchWant(branch);
  }
  if (isFullCommit(ref)) return { commit: ref };
  if (ref.startsWith('refs/heads/')) return branchWant(ref.slice('refs/heads/'.length));
  const tagName = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  if (tagName === undefined && !ref.startsWith('refs/') && readRef(mirror, `refs/heads/${ref}`)) return branchWant(ref);
  const tag = tagName ?? (readRef(mirror, `refs/tags/${ref}`) ? ref : undefined);
  if (tag !== undefined) {
    const at = s.commit ?? (await peel(git, mirror, `refs/tags/${tag}`));
    if (!at) throw notFound(`tag "${tag}"`);
    return { commit: at, tag };
  }
  // A full ref name outside heads/tags, or an abbreviated commit.
  if (ref.startsWith('refs/') || isAbbreviatedCommit(ref)) {
    const at = s.commit ?? (await peel(git, mirror, ref));
    if (at) return { commit: at };
  }
  throw notFound(`ref "${ref}" (no such branch, tag or commit)`);
}

/** The mirror's branch and tag names, for a did-you-mean; undefined when its ref store is not one refs-fs reads. */
function mirrorRefNames(mirror: string): Set<string> | undefined {
  const heads = listRefs(mirror, 'refs/heads/');
  const tags = listRefs(mirror, 'refs/tags/');
  return heads && tags ? shortRefNames([...heads.keys(), ...tags.keys()]) : undefined;
}
