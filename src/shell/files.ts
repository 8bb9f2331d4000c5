// .weft/env/: the activation pre-rendered per shell, so the hook sources a file and never
// starts Node when nothing changed; env.json holds the model for later renders and reverts.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { writeFileIfChanged, writeFilesIfChanged } from '../atomic.cjs';
import { buildId } from '../build-id.js';
import type { EnvModel } from './model.js';
import type * as Names from './renderers/names.cjs';
import { changesProgramStart } from './startup-vars.js';
import type * as StampRead from './stamp-read.cjs';

export const ENV_JSON = 'env.json';

// CommonJS modules are required, not imported: importing one from ESM runs Node's CJS
// export lexer, milliseconds of a no-op `weft up`.
const requireHere = createRequire(import.meta.url);

/** Writes `<shell>` for every shell and env.json into `dir`, each file atomically. */
export async function writeEnvFiles(model: EnvModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { NEEDS_TRUST_FILE, STAMP_FILE } = requireHere('./stamp-read.cjs') as typeof StampRead;
  const json = JSON.stringify(model, null, 2) + '\n';
  if (!upToDate(dir, json, STAMP_FILE)) {
    // The renderers load only here: a no-op `weft up` has nothing to render.
    const { SHELLS, shellRenderers } = await import('./renderers.js');
    const files: [string, string][] = SHELLS.map((s) => [s, shellRenderers[s].apply(model)]);
    // env.json last: its being current is what tells a later run the shell files are too.
    files.push([ENV_JSON, json]);
    // A hook may source a file at any moment: each one is replaced atomically, and only
    // when its text changed (a no-op weft up then costs no fsync here).
    await writeFilesIfChanged(dir, files);
  }
  // `weft env`'s fast path prints a file without the plan; this marker sends it down the
  // slow path, which checks trust, when the environment holds a variable that needs it.
  if (model.vars.some((v) => v.type !== 'unset' && changesProgramStart(v.name))) writeFileIfChanged(join(dir, NEEDS_TRUST_FILE), '');
  else rmSync(join(dir, NEEDS_TRUST_FILE), { force: true });
}

/**
 * The shell files already hold what this model renders to: env.json is this model, every
 * shell file is there, and the renderers that wrote them are this build's (stamp.json,
 * written by `weft up` after them, says which).
 */
function upToDate(dir: string, json: string, stampFile: string): boolean {
  if (readText(join(dir, ENV_JSON)) !== json) return false;
  const written = mtimeOf(join(dir, ENV_JSON));
  if (written === undefined) return false;
  const { DYNAMIC_SHELLS } = requireHere('./renderers/names.cjs') as typeof Names;
  // env.json is written after them: a shell file changed since was edited by someone else.
  for (const s of DYNAMIC_SHELLS) {
    const at = mtimeOf(join(dir, s));
    if (at === undefined || at > written) return false;
  }
  try {
    const stamp = JSON.parse(readText(join(dir, stampFile)) ?? 'null') as { rendered?: unknown } | null;
    return stamp?.rendered === rendererBuild();
  } catch {
    return false;
  }
}

/** The build of the renderers (a new weft may render the same model differently). */
export function rendererBuild(): string {
  return buildId([new URL('./renderers.js', import.meta.url), new URL('./files.js', import.meta.url)]);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Modification time (ns) of a regular file; undefined for anything else. */
function mtimeOf(file: string): bigint | undefined {
  try {
    const st = statSync(file, { bigint: true });
    return st.isFile() ? st.mtimeNs : undefined;
  } catch {
    return undefined;
  }
}
