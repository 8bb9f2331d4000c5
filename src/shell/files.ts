// .weft/env/: the activation pre-rendered per shell, so the hook sources a file and never
// starts Node when nothing changed; env.json holds the model for later renders and reverts.
import { mkdir } from 'node:fs/promises';
import { writeFileIfChanged } from '../atomic.js';
import { join } from 'node:path';
import type { EnvModel } from './model.js';
import { SHELLS, shellRenderers } from './renderers.js';

export const ENV_JSON = 'env.json';

/** Writes `<shell>` for every shell and env.json into `dir`, each file atomically. */
export async function writeEnvFiles(model: EnvModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = SHELLS.map((s) => [s, shellRenderers[s].apply(model)]);
  files.push([ENV_JSON, JSON.stringify(model, null, 2) + '\n']);
  // A hook may source a file at any moment: each one is replaced atomically, and only
  // when its text changed (a no-op weft up then costs no fsync here).
  for (const [name, text] of files) writeFileIfChanged(join(dir, name), text);
}
