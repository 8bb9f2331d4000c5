// Where `weft switch` puts a branch's own checkout: `<root>/.weft-branches/<name>/<branch>`.
// One directory per branch, as Combinator had, kept apart from the main checkouts so one
// .gitignore line (`.weft-branches/`) hides them all and no branch name can collide with
// a source's path. A branch like `feature/x` nests (git forbids `a` beside `a/b`, so nested
// names never collide either).
import { join } from 'node:path';

export const BRANCHES_DIR = '.weft-branches';

export function branchDir(root: string, name: string, branch: string): string {
  return join(root, BRANCHES_DIR, name, ...branch.split('/'));
}
