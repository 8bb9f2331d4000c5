// The bundle's own table of contents, `weft-bundle.json`, the first entry of the outer tar:
// what each entry is, its size and sha256, and what every source pins. The receiver trusts
// nothing in the tar that this file does not list, and nothing this file says that the
// entries do not bear out.
import { WeftError } from '../../errors.js';
import type { ArchiveFormat } from '../../types.js';

export const BUNDLE_FORMAT = 1;
export const INDEX_NAME = 'weft-bundle.json';

export interface EntrySum {
  size: number;
  sha256: string;
}

interface BundledBase {
  name: string;
  /** Checkout path relative to the workspace, '/'-separated. */
  dir: string;
  /** The source's URL without credentials (the workspace's `origin`). */
  url: string;
  /** The tar entry holding this source's content. */
  entry: string;
}

export type BundledSource =
  | (BundledBase & {
      type: 'git';
      commit: string;
      /** Branch the checkout is on (the manifest's branch, or the remote's default one). */
      branch?: string;
      tag?: string;
      /** Boundary commits when the history was cut (`--depth`). */
      shallow?: string[];
    })
  | (BundledBase & { type: 'archive'; integrity: string; format?: ArchiveFormat })
  | (BundledBase & { type: 'svn'; revision: string })
  | (BundledBase & { type: 'hg'; revision: string });

export interface BundleIndex {
  format: number;
  weft: string;
  created: string;
  name: string;
  /** Workspace files (manifest, included manifests, lock) as entry names under `workspace/`. */
  workspace: string[];
  manifest: string;
  sources: BundledSource[];
  /** Every entry but this file: size and sha256. */
  entries: Record<string, EntrySum>;
}

/** Entry names weft writes: plain relative paths, nothing that could climb or hide. */
const SAFE_ENTRY = /^(?:[A-Za-z0-9_][A-Za-z0-9._+-]*\/)*[A-Za-z0-9_][A-Za-z0-9._+-]*$/;

export function safeEntryName(name: string): boolean {
  return SAFE_ENTRY.test(name) && !name.split('/').some((p) => p === '.' || p === '..') && name.length < 1024;
}

/** Whether the '/'-path `rel` is `dir` itself or lies under it. */
function within(rel: string, dir: string): boolean {
  return rel === dir || rel.startsWith(`${dir}/`);
}

/**
 * The workspace entries a receiver writes. A manifest inside a source's directory (one
 * that source's checkout provides, for `import:`) comes with that checkout at its locked
 * revision, as it does from the network; writing it first would make the directory the
 * checkout must be cloned into. Bundles made before `weft bundle` left such files out
 * still list them.
 */
export function workspaceEntries(index: BundleIndex): string[] {
  return index.workspace.filter((entry) => !index.sources.some((s) => within(entry.slice('workspace/'.length), s.dir)));
}

export function badBundle(file: string, entry: string, why: string, hint = 'the bundle was damaged or changed after it was made: ask for a fresh copy and compare its sha256 with the one `weft bundle` printed'): WeftError {
  return new WeftError('WEFT_E_BUNDLE_DAMAGED', `${file}: entry ${entry}: ${why}`, { hint });
}

/**
 * A URL as the index may record it: a password or token never travels in a bundle (the
 * manifest may get it from --var or the environment); the user name stays, because hg
 * compares clone locations with it.
 */
export function withoutSecret(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, '$1@');
}

const HEX40 = /^[0-9a-f]{40}$/;

/** Parses and checks the index's shape; every later step may rely on it. */
export function parseIndex(text: string, file: string): BundleIndex {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw badBundle(file, INDEX_NAME, 'not valid JSON');
  }
  const bad = (why: string): never => {
    throw badBundle(file, INDEX_NAME, why);
  };
  const o = data as Partial<BundleIndex>;
  if (!o || typeof o !== 'object') bad('not an object');
  if (typeof o.format !== 'number') bad('no format version');
  if (o.format! > BUNDLE_FORMAT) {
    throw new WeftError('WEFT_E_BUNDLE_VERSION', `${file} is bundle format ${o.format}, this weft reads format ${BUNDLE_FORMAT}`, {
      hint: `it was made by weft ${String(o.weft)}; install that version or newer`,
    });
  }
  if (!o.entries || typeof o.entries !== 'object') bad('no entry list');
  for (const [name, sum] of Object.entries(o.entries!)) {
    if (!safeEntryName(name)) bad(`lists an unsafe entry name ${JSON.stringify(name)}`);
    if (!sum || typeof sum.size !== 'number' || typeof sum.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sum.sha256)) bad(`bad checksum for ${name}`);
  }
  if (!Array.isArray(o.workspace) || !o.workspace.every((w) => typeof w === 'string' && w.startsWith('workspace/') && w in o.entries!)) bad('bad workspace file list');
  if (typeof o.manifest !== 'string' || !o.workspace!.includes(o.manifest)) bad('names no manifest');
  if (!Array.isArray(o.sources)) bad('no source list');
  const names = new Set<string>();
  for (const s of o.sources!) {
    if (!s || typeof s.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s.name) || names.has(s.name)) bad('a source without a valid, unique name');
    names.add(s.name);
    if (typeof s.entry !== 'string' || !(s.entry in o.entries!)) bad(`source ${s.name} names an entry that is not listed`);
    if (typeof s.dir !== 'string' || !safeEntryName(s.dir)) bad(`source ${s.name} has an unsafe directory ${JSON.stringify(s.dir)}`);
    if (typeof s.url !== 'string') bad(`source ${s.name} has no URL`);
    if (s.type === 'git') {
      if (!HEX40.test(s.commit)) bad(`source ${s.name} has no full commit`);
      if (s.shallow && !(Array.isArray(s.shallow) && s.shallow.every((c) => HEX40.test(c)))) bad(`source ${s.name} has a bad shallow list`);
    } else if (s.type === 'archive') {
      if (typeof s.integrity !== 'string') bad(`source ${s.name} has no integrity`);
      if (s.format !== undefined && !['tar', 'tar.gz', 'tar.xz', 'tar.bz2', 'zip'].includes(s.format)) bad(`source ${s.name} has an unknown archive format`);
    } else if (s.type === 'svn' || s.type === 'hg') {
      if (typeof s.revision !== 'string' || !/^[0-9a-f]+$/.test(s.revision)) bad(`source ${s.name} has no revision`);
    } else {
      bad(`source ${(s as { name: string }).name} has an unknown type`);
    }
  }
  return o as BundleIndex;
}
