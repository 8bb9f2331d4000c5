// Example manifests in the docs, loaded with the real resolver. A fenced ```yaml block is
// a full manifest when its first line that is not a comment is `weft: 1`, or when it is
// marked `file=weft.yaml`; a block marked `file=NAME` (an included file, weft.local.yaml)
// is written beside the nearest full manifest above it in the same page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { isWeftError } from '../../src/errors.js';
import { loadPlan } from '../../src/resolve/index.js';
import { tempDir } from '../helpers/tmp.js';
import type { FencedBlock } from './markdown.js';

export interface Example {
  manifest: FencedBlock;
  /** Further files by name, relative to the manifest's directory. */
  files: Map<string, FencedBlock>;
}

function fileMark(b: FencedBlock): string | undefined {
  return b.info.find((w) => w.startsWith('file='))?.slice('file='.length);
}

function isFullManifest(b: FencedBlock): boolean {
  const mark = fileMark(b);
  if (mark !== undefined) return mark === 'weft.yaml';
  const first = b.text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return first !== undefined && /^weft:\s*1\s*(#.*)?$/.test(first);
}

export function exampleManifests(blocks: FencedBlock[]): Example[] {
  const out: Example[] = [];
  for (const b of blocks) {
    if (isFullManifest(b)) out.push({ manifest: b, files: new Map() });
    else {
      const mark = fileMark(b);
      if (mark !== undefined && out.length > 0) out.at(-1)!.files.set(mark, b);
    }
  }
  return out;
}

/** Directories named by `local:` (literal paths only), so the examples find them. */
function localDirs(text: string, fileDir: string): string[] {
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return []; // the loader reports the syntax error
  }
  const sources = (data as { sources?: Record<string, { local?: unknown }> } | null)?.sources;
  if (!sources || typeof sources !== 'object') return [];
  return Object.values(sources)
    .map((s) => (s && typeof s === 'object' ? s.local : undefined))
    .filter((l): l is string => typeof l === 'string' && !l.includes('${') && !isAbsolute(l))
    .map((l) => resolve(fileDir, l));
}

/** undefined when the example loads; otherwise every problem, one per line. */
export async function checkExample(ex: Example): Promise<string | undefined> {
  const { dir, cleanup } = tempDir('weft-docs-');
  // Nested, so examples may point `local:` at `../mylib` or `../../shared` and stay inside the temp dir.
  const ws = join(dir, 'home', 'dev', 'project');
  try {
    const files = new Map([['weft.yaml', ex.manifest], ...ex.files]);
    for (const [name, block] of files) {
      const p = resolve(ws, name);
      if (relative(dir, p).startsWith('..')) return `file=${name} leaves the example's directory`;
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, block.text);
      for (const d of localDirs(block.text, dirname(p))) {
        if (!relative(dir, d).startsWith('..')) mkdirSync(d, { recursive: true });
      }
    }
    await loadPlan({ cwd: ws, env: { HOME: join(dir, 'home', 'dev'), USER: 'dev' } });
    return undefined;
  } catch (err) {
    if (!isWeftError(err)) throw err;
    return err
      .all()
      .map((e) => `${e.code}${e.loc ? ` at ${relative(ws, e.loc.file)}:${e.loc.line}:${e.loc.col}` : ''}: ${e.message}`)
      .join('\n');
  } finally {
    cleanup();
  }
}
