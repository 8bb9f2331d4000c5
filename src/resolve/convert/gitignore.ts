// The lines `weft init` needs in .gitignore: weft.local.yaml (personal overrides), .weft/
// (workspace state) and .weft-branches/ (the checkouts `weft switch` makes per branch). Existing content, order and line endings are kept; a line
// already ignoring the same thing (`/.weft`, `.weft/`, …) counts as present.
import { readFile, realpath } from 'node:fs/promises';
import { writeFileAtomic } from '../../atomic.cjs';

export const WEFT_IGNORES = ['weft.local.yaml', '.weft/', '.weft-branches/'] as const;

const canonical = (line: string) => line.trim().replace(/^\//, '').replace(/\/$/, '');

/** The .gitignore text with `wanted` added, and what was added (empty: leave the file alone). */
export function addIgnores(text: string, wanted: readonly string[] = WEFT_IGNORES): { text: string; added: string[] } {
  const present = new Set(text.split(/\r?\n/).map(canonical));
  const added = wanted.filter((w) => !present.has(canonical(w)));
  if (added.length === 0) return { text, added };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const head = text === '' || text.endsWith('\n') ? text : text + eol;
  const block = ['# weft: personal overrides, workspace state, branch checkouts', ...added].join(eol) + eol;
  return { text: head + (head === '' ? '' : eol) + block, added };
}

/** Adds weft's lines to the .gitignore at PATH, creating it if missing; returns what was added. */
export async function ensureGitignore(path: string): Promise<string[]> {
  let text = '';
  let target = path;
  try {
    // A .gitignore symlinked from a dotfiles repo stays a symlink: write where it points.
    target = await realpath(path);
    text = await readFile(target, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const next = addIgnores(text);
  if (next.added.length) await writeFileAtomic(target, next.text);
  return next.added;
}
