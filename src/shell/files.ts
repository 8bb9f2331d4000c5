// .weft/env/: the activation pre-rendered per shell, so the hook sources a file and never
// starts Node when nothing changed; env.json holds the model for later renders and reverts.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvModel } from './model.js';
import { SHELLS, shellRenderers } from './renderers.js';

export const ENV_JSON = 'env.json';

/** Writes `<shell>` for every shell and env.json into `dir`, each file atomically. */
export async function writeEnvFiles(model: EnvModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = SHELLS.map((s) => [s, shellRenderers[s].apply(model)]);
  files.push([ENV_JSON, JSON.stringify(model, null, 2) + '\n']);
  await Promise.all(files.map(([name, text]) => writeAtomic(join(dir, name), text)));
}

// A shell hook may source the file at any moment: it must see the old file or the new
// one, never half of one. Same directory, so rename is atomic.
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
