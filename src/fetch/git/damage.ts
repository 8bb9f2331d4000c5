// Telling a damaged cache mirror apart from every other way git fails. A mirror is only
// a cache: when it is damaged (power loss, a full disk, a half-run `rm`), weft sets it
// aside and fetches it again. Throwing away a good mirror because the server is down
// would be worse than failing, so a git failure counts as damage only when its stderr
// says so (the list below) AND a local check of the mirror (confirmDamage) agrees.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../redact.js';
import { readText } from './refs-fs.js';
import type { Git } from './run.js';

// Each pattern is what git (2.39) says meeting a mirror damaged that way; every one but
// "cannot be accessed" is made for real in test/fetch/git-damage.test.ts. Lines git relays
// from the other side ("remote: …") never count by themselves (see damageLines).
const DAMAGE: RegExp[] = [
  // HEAD empty or garbage, objects/ or refs/ gone: git no longer takes the dir for a repository.
  /not a git repository/,
  // config overwritten or cut mid-line (only the mirror's own file: see attributable()).
  /bad config line \d+ in file/,
  // a config value cut short (git 2.39 does not name the file: see attributable()).
  /bad numeric config value/,
  // packed-refs cut mid-line (git fsyncs packs, not refs).
  /unterminated line in .*packed-refs/,
  // a pack cut short (a full disk while copying, a partial restore).
  /packfile .* does not match index/,
  // a pack removed while git had its index open (not reproduced in the tests).
  /packfile .* cannot be accessed/,
  // a pack deleted: `clone --local` refuses refs to objects no longer stored ...
  /with nonexistent object/,
  // ... fsck names the refs ...
  /invalid sha1 pointer/,
  // ... and rev-parse, rev-list, log name the ref's object.
  /\bbad object\b/,
  // a loose object deleted: what archive/read-tree, rev-list --objects, fsck, pack-objects
  // and read-tree -u each say of the missing object.
  /\binvalid object\b/,
  /missing (blob|tree|commit|tag)\b/,
  /broken link from/,
  /unable to read (?:(?:tree|commit|blob|tag) )?[0-9a-f]{7,}/,
  /unable to read sha1 file/,
  // a fetch from the mirror into a checkout, its pack-objects dead on a missing or bad object.
  /possible repository corruption/,
  // a loose object cut short ("loose object ... is corrupt", "corrupt loose object '...'") ...
  /is corrupt/,
  /corrupt loose object/,
  // ... or overwritten with something that is not zlib at all.
  /unable to unpack [0-9a-f]{7,} header/,
];

// Never damage, whatever else the stderr says: the disk or the network is the trouble,
// and fetching again cannot help (or would throw away the only copy while offline).
const NEVER: RegExp[] = [
  /No space left on device|Disk quota exceeded|Read-only file system/i,
  /Could not resolve (host|proxy)|Failed to connect|Connection (refused|timed out|reset)|Network is unreachable|Operation timed out/i,
];

/** The lines of git's stderr that say a repository is damaged; "remote:" lines only when asked. */
function damageLines(stderr: string, mirror: string, remote: boolean): string[] {
  if (NEVER.some((re) => re.test(stderr))) return [];
  const out: string[] = [];
  for (const raw of stderr.split('\n')) {
    let line = raw.trim();
    if (/^remote:/i.test(line)) {
      if (!remote) continue;
      line = line.replace(/^remote:\s*/i, '');
    }
    if (line && DAMAGE.some((re) => re.test(line)) && attributable(line, mirror)) out.push(line);
  }
  return out;
}

/** The first line of git's stderr that says the repository at `mirror` is damaged, without its "fatal:" prefix. */
export function damageLine(stderr: string, mirror: string): string | undefined {
  const line = damageLines(stderr, mirror, false)[0];
  // Paths inside the mirror relative to it: the message names the entry elsewhere.
  return line === undefined ? undefined : redact(line.replace(/^(fatal|error):\s*/, '').split(`${mirror}/`).join(''));
}

/**
 * Config errors can come from the user's own ~/.gitconfig: they are the mirror's only when
 * they name its config file, or (git does not always name it) when its config holds the
 * key and value git complains about.
 */
function attributable(line: string, mirror: string): boolean {
  const file = /bad config line \d+ in file (.+)$/.exec(line);
  if (file) return file[1] === './config' || file[1] === 'config' || file[1] === join(mirror, 'config');
  const numeric = /bad numeric config value '(.*)' for '([^']+)'/.exec(line);
  if (numeric) {
    const key = numeric[2]!.split('.').pop()!.toLowerCase();
    const text = readText(join(mirror, 'config'))?.toLowerCase() ?? '';
    return text.split('\n').some((l) => new RegExp(`^\\s*${escape(key)}\\s*=\\s*"?${escape(numeric[1]!.toLowerCase())}"?\\s*$`).test(l));
  }
  return true;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const HEX = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** What the mirror directory looks like from its files: absent, whole enough for git, or damaged (why). */
export type MirrorShape = { absent: true; damage?: undefined; identity?: undefined } | { absent: false; damage?: string; identity: string };

/**
 * The structural check, from files only (no git process): what git needs to take a
 * directory for a bare repository, and the refs weft reads itself. A few small reads per
 * source on a path that is about to start git anyway.
 */
export function mirrorShape(mirror: string): MirrorShape {
  // The identity first: an entry replaced while its files are read is not blamed on the new one.
  const identity = entryIdentity(mirror);
  if (identity === undefined) return { absent: true };
  const damage = (why: string): MirrorShape => ({ absent: false, damage: why, identity });
  // Only what is missing or wrong counts: an error reading (EMFILE, EACCES) is left to git.
  const head = readIfThere(join(mirror, 'HEAD'));
  if (head === MISSING) return damage('HEAD is missing');
  if (head !== undefined) {
    const text = head.trim();
    if (!text) return damage('HEAD is empty');
    if (!/^ref: refs\/\S+$/.test(text) && !HEX.test(text)) return damage('HEAD is not a ref or a commit id');
  }
  const config = readIfThere(join(mirror, 'config'));
  if (config === MISSING) return damage('config is missing');
  if (config === '') return damage('config is empty');
  const syntax = config === undefined ? undefined : configDamage(config);
  if (syntax) return damage(syntax);
  for (const dir of ['objects', 'refs']) {
    try {
      if (!statSync(join(mirror, dir)).isDirectory()) return damage(`${dir}/ is not a directory`);
    } catch (err) {
      if (isMissing(err)) return damage(`${dir}/ is missing`);
    }
  }
  const packed = packedRefsDamage(mirror) ?? packDamage(mirror);
  return packed ? damage(packed) : { absent: false, identity };
}

/**
 * A pack whose last bytes are not the checksum its index records for it: cut short (a full
 * disk, a partial restore) or overwritten. Git reads around such a pack as long as what it
 * needs is elsewhere, so a fetch into the mirror succeeds and a new checkout, whose objects
 * are linked from the mirror, gets the damaged pack too (git fsck there fails). A few
 * bytes read from the end of each pack and its index. `gitDir`: a mirror, or a checkout's
 * .git (weft doctor: a checkout shares its packs' files with the mirror it was made from).
 */
export function packDamage(gitDir: string): string | undefined {
  const dir = join(gitDir, 'objects', 'pack');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (!name.endsWith('.pack') || name.startsWith('tmp_') || !names.includes(`${name.slice(0, -5)}.idx`)) continue;
    const pack = lastBytes(join(dir, name), 32);
    const idx = lastBytes(join(dir, `${name.slice(0, -5)}.idx`), 64);
    if (pack === undefined || idx === undefined) continue;
    // A pack ends in its checksum (20 bytes SHA-1, 32 SHA-256); its index ends in that
    // checksum and then its own.
    const whole = pack !== 'short' && idx !== 'short' && (pack.subarray(12).equals(idx.subarray(24, 44)) || pack.equals(idx.subarray(0, 32)));
    if (!whole) return `pack ${name} does not match its index (cut short or overwritten)`;
  }
  return undefined;
}

/** The last `n` bytes of a file; 'short' when it holds fewer; undefined when unreadable (left to git). */
function lastBytes(path: string, n: number): Buffer | 'short' | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size < n) return 'short';
    const out = Buffer.alloc(n);
    return readSync(fd, out, 0, n, size - n) === n ? out : 'short';
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The config's lines, read as git's config parser reads them, leniently: a section
 * header, a variable, a comment or blank. Git fails every command on a line that is none
 * of these (a file half-written, or overwritten with something else).
 */
function configDamage(text: string): string | undefined {
  const lines = text.split('\n');
  let continued = false;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    const ok = continued || line === '' || /^[#;]/.test(line) || /^\[[^\]]*\]/.test(line) || /^[A-Za-z][A-Za-z0-9-]*\s*(=|$|[#;])/.test(line);
    if (!ok) return `config line ${i + 1} is not git config`;
    continued = line.endsWith('\\');
  }
  return undefined;
}

/** packed-refs, when present: every line a header, a ref or a peeled id, ended by a newline as git writes it. */
function packedRefsDamage(mirror: string): string | undefined {
  const text = readText(join(mirror, 'packed-refs'));
  if (text === undefined || text === '') return undefined;
  if (!text.endsWith('\n')) return 'packed-refs is cut short';
  const lines = text.slice(0, -1).split('\n');
  for (const [i, line] of lines.entries()) {
    if (i === 0 && line.startsWith('# ')) continue;
    const m = /^\^?([0-9a-f]+)(?: (refs\/\S+))?$/.exec(line);
    if (!m || !HEX.test(m[1]!) || line.startsWith('^') === (m[2] !== undefined)) return `packed-refs line ${i + 1} is not a ref`;
  }
  return undefined;
}

const MISSING = Symbol('missing');

/** A file's text; MISSING when it (or its directory) is not there; undefined when unreadable otherwise. */
function readIfThere(path: string): string | typeof MISSING | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    return isMissing(err) ? MISSING : undefined;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** An entry's identity: the same path holding a rebuilt mirror is another entry. */
export function entryIdentity(mirror: string): string | undefined {
  try {
    // Usually absent on a cold run: asked, not thrown (a stack trace per source).
    const st = statSync(mirror, { throwIfNoEntry: false });
    return st && `${st.dev}:${st.ino}:${st.birthtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * After a git call failed with `stderr`: the reason the mirror is damaged, or undefined
 * when it is not (or not provably). Costs a `git fsck` of the mirror, only on this
 * failure path. --git-dir so that git never walks up to a repository the cache lives in.
 */
export async function confirmDamage(git: Git, mirror: string, stderr: string, timeoutMs: number): Promise<string | undefined> {
  const said = damageLine(stderr, mirror);
  if (!said) return undefined;
  const shape = mirrorShape(mirror);
  if (shape.absent) return undefined;
  if (shape.damage) return shape.damage;
  const dir = ['--git-dir', mirror];
  const res = await git([...dir, 'fsck', '--connectivity-only', '--no-dangling', '--no-progress'], { timeoutMs });
  if (res.code === null) return undefined;
  // fsck prints what is missing ("broken link from …", "missing blob …") on stdout.
  const found = res.code === 0 ? undefined : damageLine(`${res.stderr}\n${res.stdout}`, mirror);
  if (found) return found;
  // fsck --connectivity-only does not read blobs: an object git named as unreadable
  // (even in a line pack-objects relayed as "remote:") is read once more, here. Only
  // one the mirror has (-e) and cannot read (-p) is its damage; one it lacks is not.
  const ids = new Set(damageLines(stderr, mirror, true).flatMap((l) => l.match(/\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b/g) ?? []));
  for (const id of [...ids].slice(0, 4)) {
    if ((await git([...dir, 'cat-file', '-e', id], { timeoutMs })).code !== 0) continue;
    const read = await git([...dir, 'cat-file', '-p', id], { timeoutMs, output: false });
    if (read.code !== 0 && read.code !== null) return `object ${id} is corrupt`;
  }
  return undefined;
}
