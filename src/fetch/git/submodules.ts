// A source with `submodules: true`: its submodules are checked out with it, and a checkout
// whose submodules are not (made offline, or from a bundle, which carries none) is not
// "unchanged" until they are.
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok } from './failure.js';
import { ALLOWED_PROTOCOLS, SUBMODULE_PROTOCOLS, type Git } from './run.js';
import { urlHost } from './url.js';

export async function updateSubmodules(git: Git, dir: string, superUrl: string): Promise<void> {
  // Local submodule URLs are allowed only when the manifest itself points at a local repository.
  const local = urlHost(superUrl) === undefined;
  ok(
    await git(['submodule', 'update', '--init', '--recursive', '--quiet'], {
      cwd: dir,
      network: true,
      protocols: local ? ALLOWED_PROTOCOLS : SUBMODULE_PROTOCOLS,
    }),
    'updating submodules',
  );
}

/**
 * Whether a submodule of the checkout at `dir` is not checked out: its directory is there
 * (git leaves an empty one for a submodule it has not initialised) without a `.git`. File
 * reads only: this runs in the no-op check. A `.gitmodules` entry with no directory in the
 * tree is not one git would check out, so it does not count.
 */
export function submodulesPending(dir: string): boolean {
  let text: string;
  try {
    text = readFileSync(join(dir, '.gitmodules'), 'utf8');
  } catch {
    return false;
  }
  for (const m of text.matchAll(/^\s*path\s*=\s*(.*?)\s*$/gm)) {
    const path = m[1]!.replace(/^"(.*)"$/, '$1');
    const sub = join(dir, path);
    if (lstatSync(sub, { throwIfNoEntry: false })?.isDirectory() && !lstatSync(join(sub, '.git'), { throwIfNoEntry: false })) return true;
  }
  return false;
}
