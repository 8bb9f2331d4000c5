// Finding the manifest: the nearest weft.yaml up from the working directory. Its own file,
// without the YAML parser, so a run answered from the plan cache never loads it.
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { WeftError } from '../errors.js';

export const MANIFEST_NAMES = ['weft.yaml', 'weft.yml'] as const;
export const LOCAL_MANIFEST_NAME = 'weft.local.yaml';

/** The manifest to use: `explicit` (relative to cwd), else the nearest weft.yaml/weft.yml up from cwd. */
export function findManifest(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!isFile(file)) {
      throw new WeftError('WEFT_E_MANIFEST_NOT_FOUND', `manifest ${file} does not exist or is not a file`, {
        hint: 'check the --manifest path, or run `weft init` to create a manifest',
      });
    }
    return file;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of MANIFEST_NAMES) {
      const file = join(dir, name);
      if (isFile(file)) return file;
    }
    if (dirname(dir) === dir) break;
  }
  throw new WeftError('WEFT_E_MANIFEST_NOT_FOUND', `no weft.yaml or weft.yml in ${resolve(cwd)} or any parent directory`, {
    hint: 'run `weft init` to create one, or pass -C DIR / --manifest FILE',
  });
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

