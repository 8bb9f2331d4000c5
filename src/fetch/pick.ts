// Which fetcher handles a source type: a pure choice, each fetcher narrowed to its kind.
import type { ArchiveSource, GitSource, HgSource, Source, SourceType, SvnSource } from '../types.js';
import type { Fetcher } from './fetcher.js';
import { unchangedCheckout } from './git/fast.js';
import type { Git } from './git/run.js';
import { fetchLocal } from './local.js';

// A pinned git source already in place is answered from disk (git/fast.ts); the clone,
// mirror and update machinery loads only for a source that needs it, and git's runner
// only when the answer needs git (a loose annotated tag to peel). Nothing here may wait on
// the disk or a process before git/index.js runs: a new checkout says it is coming
// (checkout-batch.ts) within the microtasks that follow its start, before its group looks.
const fetchGit: Fetcher<GitSource> = async (s, ctx, prev) => {
  const git: Git = async (args, opts) => (await import('./git/run.js')).createGit(ctx)(args, opts);
  return (await unchangedCheckout(s, () => git)) ?? (await import('./git/index.js')).fetchGit(s, ctx, prev);
};

// Archive (undici, node-tar), svn and hg fetchers are loaded only when a plan has such a
// source, so a git-only workspace starts without them.
const fetchArchive: Fetcher<ArchiveSource> = async (s, ctx, prev) => (await import('./archive/index.js')).fetchArchive(s, ctx, prev);
const fetchSvn: Fetcher<SvnSource> = async (s, ctx, prev) => (await import('./svn.js')).fetchSvn(s, ctx, prev);
const fetchHg: Fetcher<HgSource> = async (s, ctx, prev) => (await import('./hg.js')).fetchHg(s, ctx, prev);

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
