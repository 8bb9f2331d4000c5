import { createHash } from 'node:crypto';
import type { Source } from '../types.js';

/**
 * A short hash of what the plan asks of a source (not where it was written or how its
 * env is wired), so state.json can tell "the manifest changed" from "nothing changed".
 */
export function fingerprint(source: Source): string {
  const asked: Record<string, unknown> = { type: source.type, dir: source.dir };
  switch (source.type) {
    case 'git':
      Object.assign(asked, {
        url: source.url,
        ref: source.ref ?? null,
        commit: source.commit ?? null,
        depth: source.depth ?? null,
        submodules: source.submodules,
      });
      break;
    case 'archive':
      Object.assign(asked, { url: source.url, integrity: source.integrity, strip: source.strip });
      break;
    case 'svn':
    case 'hg':
      Object.assign(asked, { url: source.url, ref: source.ref ?? null });
      break;
    case 'local':
      break;
  }
  return createHash('sha256').update(JSON.stringify(asked)).digest('hex').slice(0, 16);
}
