// A git source in a bundle: a `git bundle` made from a scratch repository that holds just
// the locked commit (and its history, or the last N commits with --depth) under the names
// the checkout needs: refs/weft/keep/<commit>, the branch at the locked commit, the tag.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GitSource } from '../../types.js';
import { ok } from '../git/failure.js';
import { ensureMirror } from '../git/mirror.js';
import { createGit } from '../git/run.js';
import { splitCredentials } from '../git/url.js';
import { mirrorNeed, resolveWant } from '../git/want.js';
import { fetcherContext, sourceError, type BundleContext } from './context.js';
import type { BundledSource } from './format.js';


/** Writes `<staging>/<entry>` for one locked git source; `scratch` is private working space. */
export async function packGit(
  s: GitSource & { commit: string },
  dir: string,
  ctx: BundleContext,
  scratch: string,
  staging: string,
  depth: number | undefined,
): Promise<BundledSource> {
  try {
    const fctx = fetcherContext(ctx, false);
    const git = createGit(fctx);
    const { url, username, password } = splitCredentials(s.url);
    const creds = username !== undefined || password !== undefined ? { username, password } : undefined;
    // The commit, and the branch or tag resolveWant reads beside it.
    const mirror = await ensureMirror(git, fctx, { url, creds, need: mirrorNeed(s) }, s.name);
    const want = await resolveWant(git, mirror, { ...s, url });
    ctx.progress('bundling', s.name, `git ${s.commit.slice(0, 12)}${depth ? `, last ${depth} commits` : ''}`);

    const repo = join(scratch, `${s.name}.git`);
    ok(await git(['init', '--bare', '--quiet', '--', repo]), 'creating a scratch repository');
    const refspecs = [`+${s.commit}:refs/weft/keep/${s.commit}`];
    if (want.tag) refspecs.push(`+refs/tags/${want.tag}:refs/tags/${want.tag}`);
    // The mirror is weft's own cache: asking it for a commit by id is safe, and spares
    // making a ref in a mirror other weft processes may be using. --update-shallow: the
    // mirror of a `depth:` source is shallow, and without it git only warns and makes no ref.
    ok(
      await git(
        ['-c', 'uploadpack.allowAnySHA1InWant=true', 'fetch', '--quiet', '--no-tags', '--update-shallow', ...(depth ? ['--depth', String(depth)] : []), '--', pathToFileURL(mirror).href, ...refspecs],
        { cwd: repo },
      ),
      `copying ${s.commit} out of the cache`,
    );
    const refs = [`refs/weft/keep/${s.commit}`];
    if (want.branch) {
      ok(await git(['update-ref', `refs/heads/${want.branch}`, s.commit], { cwd: repo }), 'naming the branch');
      refs.push(`refs/heads/${want.branch}`);
    }
    if (want.tag) refs.push(`refs/tags/${want.tag}`);
    const entry = `git/${s.name}.bundle`;
    mkdirSync(join(staging, 'git'), { recursive: true });
    // The refs by name, not --all: --all also takes HEAD, which `git init` points at the
    // default initial branch (master, or init.defaultBranch), so a source on that branch
    // would carry a HEAD the receiver does not expect.
    ok(await git(['bundle', 'create', '--quiet', '--', join(staging, entry), ...refs], { cwd: repo }), 'writing the git bundle');
    const shallowFile = join(repo, 'shallow');
    const shallow = existsSync(shallowFile) ? readFileSync(shallowFile, 'utf8').split('\n').filter(Boolean) : undefined;
    return {
      type: 'git',
      name: s.name,
      dir,
      url,
      entry,
      commit: s.commit,
      ...(want.branch ? { branch: want.branch } : {}),
      ...(want.tag ? { tag: want.tag } : {}),
      ...(shallow?.length ? { shallow } : {}),
    };
  } catch (err) {
    throw sourceError(s.name, err);
  }
}
