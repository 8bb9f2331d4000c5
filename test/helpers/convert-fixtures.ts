import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/convert/ in the source tree (fixtures are not compiled into dist/). */
export const fixturesDir = join(fileURLToPath(new URL('../../../test/fixtures/convert/', import.meta.url)));

export function fixture(name: string): { path: string; text: string } {
  const path = join(fixturesDir, name);
  return { path, text: readFileSync(path, 'utf8') };
}
