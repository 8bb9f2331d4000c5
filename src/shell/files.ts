// .weft/env/: the activation pre-rendered per shell, so the hook sources a file and never
// starts Node when nothing changed; env.json holds the model for later renders and reverts.
import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileIfChanged } from '../atomic.js';
import { join } from 'node:path';
import type { EnvModel } from './model.js';
import { SHELLS, shellRenderers } from './renderers.js';
import { changesProgramStart } from './startup-vars.js';
import { NEEDS_TRUST_FILE } from './stamp.js';

export const ENV_JSON = 'env.json';

/** Writes `<shell>` for every shell and env.json into `dir`, each file atomically. */
export async function writeEnvFiles(model: EnvModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = SHELLS.map((s) => [s, shellRenderers[s].apply(model)]);
  files.push([ENV_JSON, JSON.stringify(model, null, 2) + '\n']);
  // A hook may source a file at any moment: each one is replaced atomically, and only
  // when its text changed (a no-op weft up then costs no fsync here).
  for (const [name, text] of files) writeFileIfChanged(join(dir, name), text);
  // `weft env`'s fast path prints a file without the plan; this marker sends it down the
  // slow path, which checks trust, when the environment holds a variable that needs it.
  if (model.vars.some((v) => v.type !== 'unset' && changesProgramStart(v.name))) writeFileIfChanged(join(dir, NEEDS_TRUST_FILE), '');
  else rmSync(join(dir, NEEDS_TRUST_FILE), { force: true });
}
