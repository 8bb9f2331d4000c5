// `weft up --from FILE` and `weft init --from FILE`: check the bundle whole, fill the cache
// and write what the workspace lacks, then let the ordinary `weft up` run offline.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { defaults } from '../defaults.js';
import { EXIT_USAGE, WeftError } from '../errors.js';
import { redact } from '../redact.js';
import { cacheDirFrom, fingerprint, updateState } from '../fetch/index.js';
import { closeBundle, entryText, openBundle, publish, receiveSources, workspaceEntries, type BundleContext, type OpenedBundle, type Pins } from '../fetch/bundle/index.js';
import { applyLock, findManifest, LOCK_NAME, MANIFEST_NAMES, parseLock, readLock, type Lock } from '../resolve/index.js';
import { ensureGitignore } from '../resolve/convert/gitignore.js';
import { bundleProgress } from './bundle-progress.js';
import type { CommandContext, ParsedArgs } from './command.js';
import type { Placed } from './up-run.js';
import { planFor } from './plan.js';

/**
 * The manifest this run uses: --manifest, else the nearest weft.yaml up from here, as every
 * other command finds it (so a run from inside a checkout fills its workspace rather than
 * starting a new one in that checkout); undefined when there is none anywhere yet.
 */
function manifestOf(ctx: CommandContext): string | undefined {
  if (ctx.manifest !== undefined) return resolve(ctx.cwd, ctx.manifest);
  try {
    return findManifest(ctx.cwd);
  } catch (err) {
    if (err instanceof WeftError && err.code === 'WEFT_E_MANIFEST_NOT_FOUND') return undefined;
    throw err;
  }
}

/** The workspace the bundle fills: the manifest's directory, or this one when there is none yet. */
function workspaceOf(ctx: CommandContext): string {
  const manifest = manifestOf(ctx);
  return manifest ? dirname(manifest) : ctx.cwd;
}

/**
 * The bundle's manifest must land where this run reads one. A bundle of `sprint.yaml`
 * unpacked where weft looks for weft.yaml would be written, then not found (exit 2 after
 * writing the manifest and lock): refused first, with the --manifest that makes it fit.
 */
function checkManifestName(b: OpenedBundle, ctx: CommandContext, workspace: string): void {
  const rel = b.index.manifest.slice('workspace/'.length);
  const theirs = join(workspace, ...rel.split('/'));
  const ours = manifestOf(ctx) ?? join(workspace, MANIFEST_NAMES[0]);
  if (theirs === ours) return;
  throw new WeftError('WEFT_E_USAGE', `the manifest in ${b.file} is ${rel}, but this run reads ${ours}`, {
    hint: `name the bundle's manifest: weft --manifest ${join(relative(ctx.cwd, workspace), rel)} init --from FILE (or up --from FILE), and give it to later weft commands there too`,
    exitCode: EXIT_USAGE,
  });
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  return readFile(file).catch(() => undefined);
}

function pinsOf(lock: Lock): Pins {
  const pins: Pins = {};
  for (const [name, e] of Object.entries(lock.sources)) {
    pins[name] = { type: e.type, pin: e.type === 'git' ? e.commit : e.type === 'archive' ? e.integrity : e.revision };
  }
  return pins;
}

/**
 * The workspace's own files must be the bundle's, or absent (then the bundle's are written).
 * A manifest a checkout provides is that checkout's business, not compared here.
 */
async function checkWorkspaceFiles(b: OpenedBundle, workspace: string): Promise<void> {
  for (const entry of workspaceEntries(b.index)) {
    if (entry === `workspace/${LOCK_NAME}`) continue;
    const target = join(workspace, ...entry.slice('workspace/'.length).split('/'));
    const mine = await readIfThere(target);
    if (mine && !mine.equals(await readFile(join(b.entriesDir, entry)))) {
      const theirs = `project "${b.index.name}", made ${b.index.created.slice(0, 10)}`;
      // Another project only when both manifests say their name (without one, it is the directory's).
      const ours = entry === b.index.manifest ? nameIn(mine.toString('utf8')) : undefined;
      const other = ours !== undefined && nameIn(await entryText(b, entry)) !== undefined && ours !== b.index.name;
      const why = other ? `the bundle is of another project (${theirs}; this workspace is "${ours}")` : `the bundle (${theirs}) was made for another version of this workspace`;
      throw new WeftError('WEFT_E_BUNDLE_MISMATCH', `${target} differs from the one in ${b.file}: ${why}`, {
        hint: 'run weft up --from in an empty directory (or weft init --from FILE there), or bring the manifest in line with the bundle first',
      });
    }
  }
}

/** A manifest's top-level `name:` as written (a plain or quoted scalar), if it has one. */
function nameIn(text: string): string | undefined {
  return /^name:[ \t]*(["']?)([^"'#\n]*?)\1[ \t]*(?:#.*)?$/m.exec(text)?.[2];
}

/** The lock sources are checked against: the workspace's own when it has one, else the bundle's. */
async function lockInForce(b: OpenedBundle, workspace: string): Promise<Lock> {
  const own = await readLock(workspace);
  if (own) return own;
  const entry = `workspace/${LOCK_NAME}`;
  if (!(entry in b.index.entries)) throw new WeftError('WEFT_E_BUNDLE_DAMAGED', `${b.file}: entry ${entry}: missing`, { hint: 'ask for a fresh copy of the bundle' });
  return parseLock(await entryText(b, entry), `${b.file}:${entry}`);
}

/**
 * Runs before `weft up` when --from is given; returns the arguments the run continues
 * with (offline, and without the svn trees, which are plain exports and not working copies).
 */
export async function prepareFromBundle(ctx: CommandContext, args: ParsedArgs, fileText: string): Promise<{ args: ParsedArgs; placed: Placed }> {
  const file = resolve(ctx.cwd, fileText);
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) {
    const why = st?.isDirectory() ? ' is a directory; --from reads one file' : st ? ' is not a regular file' : ': no such file';
    throw new WeftError('WEFT_E_USAGE', `--from ${fileText}${why}`, { hint: 'give the path of a file made by "weft bundle"', exitCode: EXIT_USAGE });
  }
  if (args.values['dry-run'] === true) {
    throw new WeftError('WEFT_E_USAGE', '--from and --dry-run cannot be used together: checking a bundle fills the cache', { hint: 'run weft up --from FILE, then weft up --dry-run' });
  }
  const workspace = workspaceOf(ctx);
  const bctx: BundleContext = { cacheDir: cacheDirFrom(ctx.env), env: ctx.env, defaults, progress: bundleProgress(ctx) };
  const b = await openBundle(file, bctx);
  const placed: Placed = new Map();
  try {
    checkManifestName(b, ctx, workspace);
    await checkWorkspaceFiles(b, workspace);
    const lock = await lockInForce(b, workspace);
    const received = await receiveSources(b, pinsOf(lock), workspace, bctx);
    const done = await publish(b, received, workspace, bctx);
    for (const f of done.wrote) if (!ctx.quiet && !ctx.json) ctx.stderr.write(`weft: wrote ${redact(f)}\n`);
    for (const n of done.kept) if (!ctx.quiet && !ctx.json) ctx.stderr.write(`weft: ${n}: its directory is in use; the bundle's tree was not placed\n`);
    for (const s of b.index.sources) if (done.placed.includes(s.name)) placed.set(s.name, s.type === 'svn' ? 'svn export' : 'hg clone');
  } finally {
    await closeBundle(b);
  }
  const placedSvn = [...placed].filter(([, how]) => how === 'svn export').map(([name]) => name);
  if (placedSvn.length) await recordSvnTrees(ctx, placedSvn);
  const skip = [...(Array.isArray(args.values['skip']) ? args.values['skip'] : []), ...placedSvn];
  return { args: { ...args, values: { ...args.values, offline: true, ...(skip.length ? { skip } : {}) } }, placed };
}

/** svn trees were placed by the bundle, not by a fetcher: record them so env and status know them. */
async function recordSvnTrees(ctx: CommandContext, names: string[]): Promise<void> {
  const plan = applyLock(await planFor(ctx), await readLock(workspaceOf(ctx))).plan;
  const now = new Date().toISOString();
  const updates: Parameters<typeof updateState>[1] = {};
  for (const s of plan.sources) {
    if (s.type !== 'svn' || !names.includes(s.name)) continue;
    updates[s.name] = { type: 'svn', dir: s.dir, revision: s.revision, url: redact(s.url), ref: s.ref, status: 'cloned', fingerprint: fingerprint(s), updatedAt: now, fromBundle: 'svn export' };
  }
  updateState(plan.workspace, updates);
}

/** `weft init --from BUNDLE`: an empty directory becomes the bundle's workspace. */
export async function initFromBundle(ctx: CommandContext, file: string, force: boolean): Promise<number> {
  const { converge } = await import('./up.js');
  const target = ctx.manifest ? resolve(ctx.cwd, ctx.manifest) : join(ctx.cwd, 'weft.yaml');
  if (!force && (await stat(target).then(() => true, () => false))) {
    throw new WeftError('WEFT_E_INIT_EXISTS', `${target} already exists; weft init leaves it as it is`, {
      hint: 'run weft up --from FILE to set this workspace up from the bundle instead',
      exitCode: EXIT_USAGE,
    });
  }
  // This directory's manifest, even inside another workspace: init makes a new one here.
  const here = { ...ctx, manifest: target };
  const code = await converge(here, { values: { from: file }, positionals: [], rest: [] }, 'up');
  await ensureGitignore(join(dirname(target), '.gitignore'));
  return code;
}
