// Which fetcher handles a source type: a pure choice, each fetcher narrowed to its kind.
import type { Source, SourceType } from '../types.js';
import { fetchArchive } from './archive/index.js';
import type { Fetcher } from './fetcher.js';
import { fetchGit } from './git/index.js';
import { fetchHg } from './hg.js';
import { fetchLocal } from './local.js';
import { fetchSvn } from './svn.js';

/** The fetcher for `type`; each narrows the source to its own kind. */
export function pickFetcher(type: SourceType): Fetcher {
  switch (type) {
    case 'git':
      return (s, ctx, prev) => (s.type === 'git' ? fetchGit(s, ctx, prev) : mismatch(s, type));
    case 'local':
      return (s, ctx, prev) => (s.type === 'local' ? fetchLocal(s, ctx, prev) : mismatch(s, type));
    case 'archive':
      return (s, ctx, prev) => (s.type === 'archive' ? fetchArchive(s, ctx, prev) : mismatch(s, type));
    case 'svn':
      return (s, ctx, prev) => (s.type === 'svn' ? fetchSvn(s, ctx, prev) : mismatch(s, type));
    case 'hg':
      return (s, ctx, prev) => (s.type === 'hg' ? fetchHg(s, ctx, prev) : mismatch(s, type));
  }
}

function mismatch(s: Source, type: SourceType): never {
  throw new Error(`fetcher for ${type} given a ${s.type} source (${s.name})`);
}
