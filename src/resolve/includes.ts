// Reads the manifest, everything it includes (recursively, included files merged first)
// and weft.local.yaml, into one merged RawManifest.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isWeftError } from '../errors.js';
import { LOCAL_MANIFEST_NAME, readManifestFile, type ReadRecorder } from './load.js';
import { mergeManifests } from './merge.js';
import type { Problems } from './problems.js';
import { emptyManifest, type RawManifest } from './raw.js';
import { readFile } from './read-manifest.js';
import type { FileKind, Leaf } from './yaml-nodes.js';

export interface LoadContext {
  problems: Problems;
  /** Every file read, top-level first, in reading order (appended to). */
  files: string[];
  listVars: ReadonlySet<string>;
  workspace: string;
  onRead?: ReadRecorder;
}

export function loadLayers(manifest: string, readLocal: boolean, lc: LoadContext): RawManifest {
  let merged = loadTree(manifest, 'manifest', [manifest], lc);
  const localFile = join(lc.workspace, LOCAL_MANIFEST_NAME);
  if (readLocal && existsSync(localFile)) {
    merged = mergeManifests(merged, loadTree(localFile, 'local', [localFile], lc));
  }
  return merged;
}

function loadTree(file: string, kind: FileKind, stack: string[], lc: LoadContext, includeLoc?: Leaf<string>): RawManifest {
  const ctx = readManifestFile(file, kind, includeLoc?.loc, lc.onRead);
  if (!lc.files.includes(file)) lc.files.push(file);
  const raw = readFile({ ctx, problems: lc.problems }, lc.listVars);
  let base = emptyManifest();
  for (const inc of raw.include) {
    const target = includeTarget(inc, lc);
    if (!target) continue;
    if (stack.includes(target)) {
      const chain = [...stack.slice(stack.indexOf(target)), target].map((f) => show(f, lc.workspace)).join(' → ');
      lc.problems.add({
        code: 'WEFT_E_INCLUDE_CYCLE',
        message: `include cycle: ${chain}`,
        loc: inc.loc,
        hint: 'remove one of these includes; a file cannot include itself, directly or through others',
      });
      continue;
    }
    try {
      base = mergeManifests(base, loadTree(target, 'include', [...stack, target], lc, inc));
    } catch (err) {
      // A broken include is one more problem to list, not a reason to stop reading.
      if (!isWeftError(err) || err.code === 'WEFT_E_VERSION') throw err;
      for (const e of err.all()) lc.problems.add({ code: e.code, message: e.message, loc: e.loc, hint: e.hint });
    }
  }
  const { ctx: _ctx, include: _include, ...own } = raw;
  return mergeManifests(base, own);
}

function includeTarget(inc: Leaf<string>, lc: LoadContext): string | undefined {
  if (inc.value.includes('${')) {
    lc.problems.add({
      code: 'WEFT_E_INCLUDE_PATH',
      message: `include path \`${inc.value}\` uses \`\${…}\`, but include paths are read before variables exist`,
      loc: inc.loc,
      hint: 'write the path literally, relative to the file that includes it',
    });
    return undefined;
  }
  if (inc.value.trim() === '') {
    lc.problems.add({ code: 'WEFT_E_INCLUDE_PATH', message: 'include path is empty', loc: inc.loc, hint: 'write a path relative to this file, or remove the entry' });
    return undefined;
  }
  return resolve(inc.ctx.dir, inc.value);
}

function show(file: string, workspace: string): string {
  const rel = relative(workspace, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
