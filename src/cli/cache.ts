// `weft cache ls|prune|verify`: look after the shared cache of git mirrors and archives.
import { readdirSync } from 'node:fs';
import { defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { cacheDirFrom } from '../fetch/index.js';
import { listEntries, pruneCache, removeEntry, verifyCache, lockForMaintenance } from '../fetch/cache/index.js';
import { flag, stringOpt, type CommandContext, type CommandSpec, type ParsedArgs } from './command.js';
import { describeAge, entryLine, formatBytes } from './cache-text.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SUBCOMMANDS = ['ls', 'prune', 'verify'];

export const command: CommandSpec = {
  name: 'cache',
  summary: 'list, prune or verify the shared cache of git mirrors and archives',
  usage: 'cache ls | prune [--older-than DAYS] [--dry-run] | verify [--repair]',
  description: `
The cache ($WEFT_CACHE_DIR, an absolute path, else $XDG_CACHE_HOME/weft, else
~/.cache/weft) holds one bare mirror per git URL and one extracted tree per archive
integrity, shared by every workspace. Every "weft up" records which entries its
workspace uses.

  ls       every entry: kind, size, when a "weft up" last used it, and its URL or integrity
  prune    remove entries no "weft up" has used for --older-than DAYS (default 30); waits
           for running "weft up"s and never removes an entry one is writing
  verify   check every entry (mirrors: git fsck --connectivity-only, then every pack and
           loose object read back and hashed; archive trees: file types, modes, and file
           hashes against those recorded when verify first saw the tree whole), exit 1
           naming the broken ones; --repair removes them so "weft up" fetches again

Checkouts never depend on the cache: removing entries costs only a refetch.`,
  options: {
    'older-than': { type: 'string', arg: 'DAYS', description: 'prune: entries unused for this many days (default 30; 0 = all)' },
    'dry-run': { type: 'boolean', short: 'n', description: 'prune: say what would go, remove nothing' },
    repair: { type: 'boolean', description: 'verify: remove broken entries so the next weft up refetches them' },
  },
  positionals: 'names',
  async run(ctx, args) {
    const [sub, ...extra] = args.positionals;
    if (!sub || !SUBCOMMANDS.includes(sub) || extra.length > 0) {
      throw new WeftError('WEFT_E_USAGE', sub ? `unknown "weft cache" action "${[sub, ...extra].join(' ')}"` : '"weft cache" needs an action', {
        hint: 'use one of: weft cache ls | weft cache prune | weft cache verify',
      });
    }
    const cacheDir = cacheDirFrom(ctx.env);
    assertCacheDir(cacheDir);
    if (sub === 'ls') return list(ctx, cacheDir);
    if (sub === 'prune') return prune(ctx, args, cacheDir);
    return verify(ctx, args, cacheDir);
  },
};

/**
 * A cache not made yet is empty; one that is a file, or below one, is not: the ENOTDIR
 * (or EACCES) goes to main, which reports WEFT_E_CACHE_DIR. Without this, ls and verify,
 * which only read, answered "0 entries" with exit 0 for it.
 */
function assertCacheDir(cacheDir: string): void {
  try {
    readdirSync(cacheDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function guard(ctx: CommandContext) {
  return {
    waitMs: defaults.workspaceLockWaitMs,
    staleMs: defaults.staleLockMs,
    onWait: (message: string) => {
      if (!ctx.quiet && !ctx.json) ctx.stderr.write(`weft: ${message}\n`);
    },
  };
}

function list(ctx: CommandContext, cacheDir: string): number {
  const entries = listEntries(cacheDir);
  const total = entries.reduce((n, e) => n + e.sizeBytes, 0);
  if (ctx.json) {
    const rows = entries.map((e) => ({ kind: e.kind, key: e.key, path: e.path, label: e.label, sizeBytes: e.sizeBytes, lastUsed: new Date(e.lastUsedMs).toISOString(), useRecorded: e.useRecorded }));
    ctx.stdout.write(JSON.stringify({ cacheDir, entries: rows, totalBytes: total }, null, 2) + '\n');
    return 0;
  }
  const now = Date.now();
  for (const e of entries) ctx.stdout.write(entryLine(e, now) + '\n');
  ctx.stdout.write(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ${formatBytes(total)} in ${cacheDir}\n`);
  return 0;
}

async function prune(ctx: CommandContext, args: ParsedArgs, cacheDir: string): Promise<number> {
  const text = stringOpt(args, 'older-than');
  // Decimal days only (fractions allowed): Number() would also take 0x10, 1e3 and ' 8',
  // and a number read the wrong way here decides which cache entries are deleted.
  if (text !== undefined && !/^\d+(\.\d+)?$/.test(text)) {
    throw new WeftError('WEFT_E_USAGE', `--older-than needs a number of days, got "${text}"`, { hint: 'e.g. --older-than 30 (0 removes every entry)' });
  }
  const days = text === undefined ? 30 : Number(text);
  const dryRun = flag(args, 'dry-run');
  const now = Date.now();
  const r = await pruneCache(cacheDir, { ...guard(ctx), olderThanMs: days * DAY_MS, dryRun, now });
  if (ctx.json) {
    const rows = r.candidates.map((e) => ({ kind: e.kind, key: e.key, label: e.label, sizeBytes: e.sizeBytes, lastUsed: new Date(e.lastUsedMs).toISOString(), outcome: dryRun ? 'would-remove' : r.outcomes.get(e) }));
    ctx.stdout.write(JSON.stringify({ cacheDir, dryRun, entries: rows, freedBytes: r.freedBytes }, null, 2) + '\n');
    return 0;
  }
  if (ctx.quiet) return 0;
  for (const e of r.candidates) {
    const outcome = r.outcomes.get(e);
    const verb = dryRun ? 'would remove' : outcome === 'busy' ? 'kept (being written by another weft)' : outcome === 'gone' ? 'already gone' : 'removed';
    ctx.stdout.write(`${verb} ${e.kind} ${e.label} (${formatBytes(e.sizeBytes)}, used ${describeAge(e.lastUsedMs, now)})\n`);
  }
  const bytes = dryRun ? r.candidates.reduce((n, e) => n + e.sizeBytes, 0) : r.freedBytes;
  ctx.stdout.write(
    r.candidates.length === 0
      ? `nothing unused for ${days} day${days === 1 ? '' : 's'} in ${cacheDir}\n`
      : `${dryRun ? 'would free' : 'freed'} ${formatBytes(bytes)}\n`,
  );
  return 0;
}

async function verify(ctx: CommandContext, args: ParsedArgs, cacheDir: string): Promise<number> {
  const repair = flag(args, 'repair');
  // Checked without the maintenance lock (fsck of a big cache takes a while and must not
  // hold up every weft up); only the removals wait for running ones to finish.
  const verdicts = await verifyCache(cacheDir, { env: ctx.env, defaults, jobs: Math.max(1, Math.floor(defaults.jobs / 2)) });
  const broken = verdicts.filter((v) => v.problems.length > 0);
  const removed = new Set<string>();
  const lock = repair && broken.length > 0 ? await lockForMaintenance(cacheDir, 'weft cache verify --repair', guard(ctx)) : undefined;
  try {
    if (lock) {
      for (const v of broken) if ((await removeEntry(cacheDir, v.entry, defaults.staleLockMs)) !== 'busy') removed.add(v.entry.path);
    }
    if (ctx.json) {
      const rows = verdicts.map((v) => ({ kind: v.entry.kind, key: v.entry.key, path: v.entry.path, label: v.entry.label, ok: v.problems.length === 0, problems: v.problems, removed: removed.has(v.entry.path), ...(v.unchecked ? { unchecked: v.unchecked } : {}) }));
      ctx.stdout.write(JSON.stringify({ cacheDir, entries: rows }, null, 2) + '\n');
    } else {
      // -q: stdout stays empty; a broken entry is the error the exit code stands for, so it
      // is still said, with git's findings, on stderr.
      const out = ctx.quiet ? ctx.stderr : ctx.stdout;
      for (const v of broken) {
        out.write(`${ctx.quiet ? 'weft: ' : ''}broken ${v.entry.kind} ${v.entry.label} (${v.entry.path})${removed.has(v.entry.path) ? ': removed, the next weft up fetches it again' : ''}\n`);
        for (const p of v.problems) out.write(`    ${p}\n`);
      }
      if (!ctx.quiet) {
        const unchecked = verdicts.filter((v) => v.unchecked);
        for (const v of unchecked) ctx.stdout.write(`not checked ${v.entry.kind} ${v.entry.label} (${v.entry.path}): ${v.unchecked}\n`);
        const recorded = verdicts.filter((v) => v.recorded).length;
        const first = recorded ? ` (${recorded} archive tree${recorded === 1 ? '' : 's'} seen whole for the first time: file hashes recorded, later checks compare)` : '';
        const checked = verdicts.length - unchecked.length;
        const others = unchecked.length ? `, ${unchecked.length} not checked (another user's)` : '';
        const summary = `${checked} entr${checked === 1 ? 'y' : 'ies'} checked, ${broken.length} broken${others}${first}`;
        ctx.stdout.write(`${summary}${broken.length && !repair ? '; "weft cache verify --repair" removes them' : ''}\n`);
      }
    }
    return broken.some((v) => !removed.has(v.entry.path)) ? 1 : 0;
  } finally {
    lock?.release();
  }
}
