// Which commit a remote ref names, without cloning: for `weft lock`. Goes through the
// same safe git runner as every other call (no prompts, allowed protocols only, timeout).
import { existsSync } from 'node:fs';
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import { NO_REF, noRefHint, shortRefNames } from './no-ref.js';
import { firstError, stderrDetail } from './failure.js';
import { mirrorPath } from './mirror.js';
import { isAbbreviatedCommit } from './ref.js';
import { createGit, type GitContext } from './run.js';
import { runPool } from '../pool.js';
import { splitCredentials, unsafeUrlReason, urlHost } from './url.js';
import { peel } from './want.js';

/** The full commit `ref` (branch, tag, full ref name; undefined = the default branch) names at `url`. */
export async function lsRemote(url: string, ref: string | undefined, ctx: GitContext): Promise<string> {
  const why = unsafeUrlReason(url);
  if (why) throw new WeftError('WEFT_E_GIT_UNSAFE_URL', `refusing URL ${redact(url)}: ${why}`, { hint: 'use an https, ssh, git or file URL' });
  const { url: bare, username, password } = splitCredentials(url);
  const creds = username !== undefined || password !== undefined ? { username, password } : undefined;
  const git = createGit(ctx);
  const patterns = ref === undefined ? ['HEAD'] : [ref, `${ref}^{}`];
  const res = await git(['ls-remote', '--', bare, ...patterns], { network: true, creds });
  if (res.code !== 0) {
    // git's first fatal: line says what went wrong; its last is often the tail of a sentence.
    const detail = stderrDetail(res);
    throw new WeftError('WEFT_E_GIT_LS_REMOTE', `git ls-remote ${redact(url)} failed: ${firstError(detail) ?? detail.split('\n').pop() ?? `git exited with ${res.code}`}`, {
      hint: 'check the URL and your access to it (weft up shows the same failure in more detail)',
    });
  }
  const refs = new Map<string, string>();
  for (const line of res.stdout.split('\n')) {
    const [commit, name] = line.split('\t');
    if (commit && name) refs.set(name, commit);
  }
  const order = ref === undefined
    ? ['HEAD']
    : [`refs/heads/${ref}`, `refs/tags/${ref}^{}`, `refs/tags/${ref}`, `${ref}^{}`, ref];
  for (const name of order) {
    const c = refs.get(name);
    if (c) return c;
  }
  if (ref === undefined) throw new WeftError(NO_REF, `${redact(url)} has no default branch (is it empty?)`, { hint: noRefHint(url, ref, undefined) });
  // An abbreviated commit, which weft up resolves in the cache's mirror: the remote only
  // answers names, so the mirror answers here too, when there is one.
  if (isAbbreviatedCommit(ref)) {
    const mirror = mirrorPath(ctx.cacheDir, url);
    // A damaged mirror answers nothing here; weft up heals it.
    const commit = existsSync(mirror) ? await peel(git, mirror, ref).catch(() => undefined) : undefined;
    if (commit) return commit;
    throw new WeftError(NO_REF, `${redact(url)} has no branch or tag "${ref}", and no commit it abbreviates is in weft's cache`, {
      hint: `write the full commit id (git rev-parse ${ref} in a clone), or run "weft up", which fetches the repository and records the commit in weft.lock`,
    });
  }
  // Only now, and once, the names upstream has: for the hint's "did you mean".
  const all = await git(['ls-remote', '--heads', '--tags', '--', bare], { network: true, creds });
  const names = all.code === 0 ? shortRefNames(all.stdout.split('\n').map((l) => l.split('\t')[1] ?? '')) : undefined;
  throw new WeftError(NO_REF, `${redact(url)} has no branch or tag "${ref}"`, { hint: noRefHint(url, ref, names) });
}

export interface RefQuery {
  name: string;
  url: string;
  ref?: string;
}

export type RefAnswer = { name: string; commit: string } | { name: string; error: WeftError };

/** Resolves many refs in parallel, bounded overall and per host like `weft up`; never throws for one bad remote. */
export async function lsRemoteAll(queries: RefQuery[], ctx: GitContext, jobs = ctx.defaults.jobs): Promise<RefAnswer[]> {
  const results = await runPool(
    queries.map((q) => ({
      host: urlHost(q.url),
      run: async (): Promise<RefAnswer> => {
        try {
          return { name: q.name, commit: await lsRemote(q.url, q.ref, ctx) };
        } catch (err) {
          if (err instanceof WeftError) return { name: q.name, error: err };
          throw err;
        }
      },
    })),
    { jobs, jobsPerHost: ctx.defaults.jobsPerHost },
  );
  return results.map((r, i) => r ?? { name: queries[i]!.name, error: new WeftError('WEFT_E_GIT_LS_REMOTE', 'not run') });
}
