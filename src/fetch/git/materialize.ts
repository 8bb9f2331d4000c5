// A new checkout's .git built straight from the mirror: the mirror's objects hardlinked
// (what `git clone --local` does), its branches written as origin/*, its tags as tags,
// HEAD and the config written as git would write them. Node links the objects; the rest
// is returned as data (GitDirFiles), written by node or by the job that fills the work
// tree (checkout-batch.ts). `git clone --local` + `remote set-url` + `checkout` +
// `branch --set-upstream-to` cost five git processes (clone also starts upload-pack) per
// source; this costs at most one, which is most of a warm `weft up`.
//
// Only the plain case is handled here: a non-shallow SHA-1 mirror with files for refs, on
// a platform whose filesystem quirks git's own init probes (macOS precomposition, Windows)
// are not needed. Anything else returns false and the caller clones with git.
import { chmodSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { scratchName } from '../tmp.js';
import { isValidRefName } from './ref.js';
import { listRefs, readSymref, type RefValue } from './refs-fs.js';
import type { Want } from './want.js';

/** What `git init` probes of the filesystem a repository lives on, and writes to core.*. */
export interface FsTraits {
  filemode: boolean;
  symlinks: boolean;
  ignorecase: boolean;
}

/**
 * Probes `dir`'s filesystem as `git init` does (an executable bit that sticks, symlinks,
 * case folding). Every checkout in one directory shares the answer, so a run probes once
 * per directory instead of making and removing a probe file per checkout. Synchronous, as
 * the rest of a new .git is (see prepareGitDir): the first new checkout of a run waits for
 * the answer, and eight round trips through libuv's thread pool kept node idle ~5 ms there.
 */
export function probeFsTraits(dir: string): FsTraits {
  const probe = join(dir, `.weft-probe-${scratchName()}`);
  try {
    writeFileSync(probe, '');
    chmodSync(probe, 0o755);
    const filemode = (lstatSync(probe).mode & 0o100) !== 0;
    const ignorecase = existsSync(join(dir, basename(probe).toUpperCase()));
    let symlinks = true;
    try {
      symlinkSync('testing', `${probe}.l`);
    } catch {
      symlinks = false;
    }
    return { filemode, symlinks, ignorecase };
  } finally {
    rmSync(probe, { force: true });
    rmSync(`${probe}.l`, { force: true });
  }
}

/**
 * What a new .git needs besides its objects: directories (parents first) and small files.
 * Node writes them (writeGitDirFiles), or the job that also writes the work tree does
 * (checkout-batch.ts), on another core.
 */
export interface GitDirFiles {
  dirs: string[];
  files: [path: string, text: string][];
}

/**
 * Links the mirror's objects into `tmp`/.git and says what else the .git needs (written
 * by writeGitDirFiles or by a checkout job); undefined when this mirror needs git's clone.
 */
export function prepareGitDir(tmp: string, mirror: string, originUrl: string, want: Want, traits?: FsTraits): GitDirFiles | undefined {
  if (process.platform === 'darwin' || process.platform === 'win32') return undefined;
  if (!plainMirror(mirror)) return undefined;
  if (want.branch !== undefined && !isValidRefName(want.branch)) return undefined;
  if (/[\0\n\r]/.test(originUrl)) return undefined;
  // Refs before objects: a ref is written only after its objects, so every object the
  // refs read here name is already in the store when it is linked below.
  const heads = listRefs(mirror, 'refs/heads/');
  const tags = listRefs(mirror, 'refs/tags/');
  if (!heads || !tags) return undefined;
  const gitDir = join(tmp, '.git');
  const defaultBranch = readSymref(mirror, 'HEAD');
  const originHead = defaultBranch?.startsWith('refs/heads/') && heads.has(defaultBranch) ? defaultBranch.slice('refs/heads/'.length) : undefined;
  // Synchronous on purpose. Each of these calls takes microseconds on a local disk, while
  // handing one to libuv's thread pool (as fs/promises does, three times for a writeFile)
  // costs a futex wake-up, a context switch and a completion on the main thread: on a warm
  // `weft up` of 200 sources that hand-off was ~11 000 futex calls, more main-thread time
  // than the work. git processes start from the forker's shell, so nothing here holds them up.
  mkdirSync(join(gitDir, 'objects', 'pack'), { recursive: true });
  // A pack or loose object removed meanwhile (gc in another weft's fetch) makes the
  // copy incomplete: give up and let git clone, which copes.
  if (!linkObjects(join(mirror, 'objects'), join(gitDir, 'objects'))) return undefined;

  const dirs = [join(gitDir, 'objects', 'info'), join(gitDir, 'refs', 'heads'), join(gitDir, 'refs', 'tags')];
  if (originHead !== undefined) dirs.push(join(gitDir, 'refs', 'remotes', 'origin'));
  // Tools append to .git/info/exclude or drop files in .git/hooks without creating them.
  dirs.push(join(gitDir, 'info'), join(gitDir, 'hooks'));
  const files: [string, string][] = [];
  const packed: [string, RefValue][] = [];
  for (const [ref, value] of heads) {
    const branch = ref.slice('refs/heads/'.length);
    if (isValidRefName(branch)) packed.push([`refs/remotes/origin/${branch}`, value]);
  }
  for (const [ref, value] of tags) if (isValidRefName(ref.slice('refs/tags/'.length))) packed.push([ref, value]);
  packed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = ['# pack-refs with: sorted '];
  for (const [ref, value] of packed) {
    lines.push(`${value.commit} ${ref}`);
    if (value.peeled) lines.push(`^${value.peeled}`);
  }
  files.push([join(gitDir, 'packed-refs'), lines.join('\n') + '\n']);
  if (originHead !== undefined) files.push([join(gitDir, 'refs', 'remotes', 'origin', 'HEAD'), `ref: refs/remotes/origin/${originHead}\n`]);
  if (want.branch !== undefined) {
    const ref = join(gitDir, 'refs', 'heads', ...want.branch.split('/'));
    if (want.branch.includes('/')) dirs.push(dirname(ref));
    files.push([ref, `${want.commit}\n`]);
    files.push([join(gitDir, 'HEAD'), `ref: refs/heads/${want.branch}\n`]);
  } else {
    files.push([join(gitDir, 'HEAD'), `${want.commit}\n`]);
  }
  const tracked = want.branch !== undefined && heads.has(`refs/heads/${want.branch}`) ? want.branch : undefined;
  files.push([join(gitDir, 'config'), configText(gitDir, originUrl, tracked, traits)]);
  return { dirs, files };
}

/** Writes what prepareGitDir left to do; again over a half-done job's work is fine. */
export function writeGitDirFiles(rest: GitDirFiles): void {
  for (const dir of rest.dirs) mkdirSync(dir, { recursive: true });
  for (const [path, text] of rest.files) writeFileSync(path, text);
}

/** A mirror this module can copy: not shallow, SHA-1, no alternates, refs in files. */
function plainMirror(mirror: string): boolean {
  if (['shallow', 'reftable', 'commondir', join('objects', 'info', 'alternates')].some((f) => existsSync(join(mirror, f)))) return false;
  let config: string;
  try {
    config = readFileSync(join(mirror, 'config'), 'utf8');
  } catch {
    return false;
  }
  // Any extension (objectformat, worktreeconfig, partial clone) changes what a copy needs.
  return !/^\s*\[\s*extensions\b/im.test(config) && !/repositoryformatversion\s*=\s*[1-9]/i.test(config);
}

/** Hardlinks (or copies) every pack and loose object; false when one vanished meanwhile. */
export function linkObjects(from: string, to: string): boolean {
  try {
    for (const name of readdirSync(from)) {
      if (name === 'pack') {
        for (const file of readdirSync(join(from, 'pack'))) {
          // tmp_pack_* and friends are another process's half-written files.
          if (file.startsWith('tmp_') || file.startsWith('.')) continue;
          linkOrCopy(join(from, 'pack', file), join(to, 'pack', file));
        }
      } else if (/^[0-9a-f]{2}$/.test(name)) {
        const files = readdirSync(join(from, name)).filter((f) => /^[0-9a-f]{38}$/.test(f));
        mkdirSync(join(to, name));
        for (const f of files) linkOrCopy(join(from, name, f), join(to, name, f));
      }
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Objects are immutable once written, so sharing the inode is safe (as `clone --local` does). */
function linkOrCopy(src: string, dest: string): void {
  try {
    linkSync(src, dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw err;
    copyFileSync(src, dest);
  }
}

/** A config value or subsection name in double quotes, escaped as git reads it. */
export function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function configText(gitDir: string, originUrl: string, branch: string | undefined, traits?: FsTraits): string {
  const lines = (core: string[]) => [
    '[core]',
    '\trepositoryformatversion = 0',
    ...core,
    '\tbare = false',
    '\tlogallrefupdates = true',
    '[remote "origin"]',
    `\turl = ${quoted(originUrl)}`,
    '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    ...(branch !== undefined ? [`[branch ${quoted(branch)}]`, '\tremote = origin', `\tmerge = ${quoted(`refs/heads/${branch}`)}`] : []),
    '',
  ];
  const t = traits ?? probeInPlace(gitDir, join(gitDir, 'config'), lines([]).join('\n'));
  const core = [`\tfilemode = ${t.filemode}`, ...(t.symlinks ? [] : ['\tsymlinks = false']), ...(t.ignorecase ? ['\tignorecase = true'] : [])];
  return lines(core).join('\n');
}

/** The probes `git init` makes, in the new .git itself (its config file the probe file). */
function probeInPlace(gitDir: string, path: string, text: string): FsTraits {
  writeFileSync(path, text, { mode: 0o644 });
  chmodSync(path, 0o755);
  const filemode = (lstatSync(path).mode & 0o100) !== 0;
  chmodSync(path, 0o644);
  const probe = join(gitDir, 'tXXXXXX');
  let symlinks = true;
  try {
    symlinkSync('testing', probe);
  } catch {
    symlinks = false;
  }
  rmSync(probe, { force: true });
  return { filemode, symlinks, ignorecase: existsSync(join(gitDir, 'CoNfIg')) };
}
