import { statSync } from 'node:fs';
import type { LocalSource } from '../types.js';
import type { Fetcher } from './fetcher.js';

/** A local directory is used in place and never modified; it only has to exist. */
export const fetchLocal: Fetcher<LocalSource> = async (s) => {
  const base = { name: s.name, type: 'local' as const, dir: s.dir };
  let isDir = false;
  try {
    isDir = statSync(s.dir).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) {
    return {
      ...base,
      status: 'failed',
      code: 'WEFT_E_LOCAL_MISSING',
      message: `local source ${s.name}: ${s.dir} is not an existing directory (create or check out it there, or fix the path)`,
    };
  }
  return { ...base, status: 'local' };
};
