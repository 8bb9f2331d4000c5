// An extracted archive against what weft wrote there: the marker it left (archive/marker.ts)
// records every file's size and time, the same record `weft up` reads before it replaces
// the tree, and the integrity of the archive it came from. Edited and deleted files count as
// modified, new ones as untracked.
import { changesSince, readMarker } from '../archive/marker.js';
import type { Inspection } from './types.js';

export async function inspectArchive(dir: string): Promise<Inspection> {
  const marker = await readMarker(dir);
  if (!marker) return { present: true, modified: 0, untracked: 0, problem: 'not extracted by weft (no .weft-archive)' };
  const changes = await changesSince(dir, marker, Infinity);
  const untracked = changes.filter((c) => c.startsWith('added ')).length;
  return { present: true, revision: marker.integrity, modified: changes.length - untracked, untracked };
}
