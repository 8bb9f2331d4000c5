// Which fetcher handles a source type. Archive, svn and hg fetchers are written on other
// branches; until they are wired in here, their sources fail clearly instead of silently.
import type { Source, SourceType } from '../types.js';
import type { Fetcher } from './fetcher.js';
import { fetchGit } from './git/index.js';
import { fetchLocal } from './local.js';

function unsupported(type: SourceType): Fetcher {
  return async (s) => ({
    name: s.name,
    type: s.type,
    dir: s.dir,
    status: 'failed',
    code: 'WEFT_E_UNSUPPORTED',
    message: `${type} sources are not supported yet`,
  });
}

/** The fetcher for `type`; each narrows the source to its own kind. */
export function pickFetcher(type: SourceType): Fetcher {
  switch (type) {
    case 'git':
      return (s, ctx, prev) => (s.type === 'git' ? fetchGit(s, ctx, prev) : mismatch(s, type));
    case 'local':
      return (s, ctx, prev) => (s.type === 'local' ? fetchLocal(s, ctx, prev) : mismatch(s, type));
    case 'archive':
    case 'svn':
    case 'hg':
      return unsupported(type);
  }
}

function mismatch(s: Source, type: SourceType): never {
  throw new Error(`fetcher for ${type} given a ${s.type} source (${s.name})`);
}
