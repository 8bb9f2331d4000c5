// Every damage signature in src/fetch/git/damage.ts, shown with a real repository damaged
// that way and the real git command that meets it — and the look-alikes that are NOT the
// mirror's damage (a server that is down, the user's own config, a damaged upstream).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaults } from '../../src/defaults.js';
import { confirmDamage, damageLine } from '../../src/fetch/git/damage.js';
import { createGit } from '../../src/fetch/git/run.js';
import { cutPack, git, gitSandbox, makeUpstream, packOf, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: Upstream;
let mirror: string;

test.before.each(() => {
  sb = gitSandbox();
  upstream = makeUpstream(sb, 'lib');
  upstream.commit('second', { 'src/a.txt': 'a\n'.repeat(500) });
  mirror = join(sb.root, 'mirror.git');
  // --no-local: a pack, as a clone over the network makes.
  git(sb, sb.root, 'clone', '--quiet', '--bare', '--no-local', upstream.dir, mirror);
});
test.after.each(() => sb.cleanup());

/** The stderr of a failing git command, run as weft runs it (C locale); fsck's findings are on stdout. */
function stderrOf(args: string[], opts: { cwd?: string; input?: string; stdout?: boolean } = {}): string {
  const r = spawnSync('git', args, { cwd: opts.cwd ?? sb.root, env: { ...sb.env, LC_ALL: 'C' }, input: opts.input, encoding: 'utf8' });
  assert.ok(r.status !== 0, `git ${args.join(' ')} was expected to fail`);
  return opts.stdout ? `${r.stderr}\n${r.stdout}` : r.stderr;
}

const gitRunner = () => createGit({ cacheDir: join(sb.root, 'cache'), env: sb.env, offline: false, defaults });
const confirm = (stderr: string) => confirmDamage(gitRunner(), mirror, stderr, 60_000);

const pack = (): string => packOf(mirror);

/** The mirror's objects as loose files (a clone of a local path has them so). */
function explode(): void {
  const p = pack();
  const data = readFileSync(p);
  for (const f of readdirSync(join(mirror, 'objects', 'pack'))) rmSync(join(mirror, 'objects', 'pack', f));
  spawnSync('git', ['unpack-objects', '-q'], { cwd: mirror, input: data, env: sb.env });
}

function blob(): string {
  return git(sb, mirror, 'rev-parse', 'HEAD:src/a.txt');
}

function looseFile(id: string): string {
  return join(mirror, 'objects', id.slice(0, 2), id.slice(2));
}

/** Rewrites a loose object (new file: loose objects are read-only and may be hardlinked). */
function rewriteLoose(id: string, bytes: (old: Buffer) => Buffer): void {
  const f = looseFile(id);
  const old = readFileSync(f);
  rmSync(f);
  writeFileSync(f, bytes(old));
}

interface Case {
  damage: () => void;
  /** The git call that meets the damage; returns its stderr. */
  meet: () => string;
}

const missingBlob = () => {
  explode();
  rmSync(looseFile(blob()));
};

const CASES: Record<string, Case> = {
  'not a git repository': { damage: () => writeFileSync(join(mirror, 'HEAD'), ''), meet: () => stderrOf(['--git-dir', mirror, 'fsck']) },
  'bad config line \\d+ in file': { damage: () => writeFileSync(join(mirror, 'config'), 'garbage{{\n'), meet: () => stderrOf(['cat-file', '-e', 'HEAD'], { cwd: mirror }) },
  'bad numeric config value': {
    damage: () => writeFileSync(join(mirror, 'config'), readFileSync(join(mirror, 'config'), 'utf8') + '[core]\n\tcompression = 9z\n'),
    meet: () => stderrOf(['cat-file', '-e', 'HEAD'], { cwd: mirror }),
  },
  'unterminated line in .*packed-refs': {
    damage: () => writeFileSync(join(mirror, 'packed-refs'), readFileSync(join(mirror, 'packed-refs'), 'utf8').slice(0, -10)),
    meet: () => stderrOf(['rev-parse', '--verify', 'main'], { cwd: mirror }),
  },
  'packfile .* does not match index': {
    damage: () => cutPack(mirror),
    meet: () => stderrOf(['cat-file', '-p', 'HEAD:src/a.txt'], { cwd: mirror }),
  },
  'with nonexistent object': { damage: () => rmSync(pack()), meet: () => stderrOf(['clone', '-q', '--no-checkout', '--local', '--', mirror, join(sb.root, 'co')]) },
  'invalid sha1 pointer': { damage: () => rmSync(pack()), meet: () => stderrOf(['fsck', '--connectivity-only'], { cwd: mirror }) },
  'bad object': { damage: () => rmSync(pack()), meet: () => stderrOf(['rev-list', 'main'], { cwd: mirror }) },
  'invalid object': { damage: missingBlob, meet: () => stderrOf(['archive', 'main'], { cwd: mirror }) },
  'missing blob': { damage: missingBlob, meet: () => stderrOf(['rev-list', '--objects', 'main'], { cwd: mirror }) },
  'broken link from': { damage: missingBlob, meet: () => stderrOf(['fsck', '--connectivity-only'], { cwd: mirror, stdout: true }) },
  'unable to read [0-9a-f]{7,}': { damage: missingBlob, meet: () => stderrOf(['pack-objects', '--stdout'], { cwd: mirror, input: `${blob()}\n` }) },
  'unable to read sha1 file': {
    damage: missingBlob,
    meet: () => {
      const work = join(sb.root, 'work');
      mkdirSync(work);
      return stderrOf(['--git-dir', mirror, '--work-tree', work, 'read-tree', '-u', '--reset', 'main']);
    },
  },
  'possible repository corruption': {
    damage: missingBlob,
    meet: () => {
      git(sb, sb.root, 'init', '--quiet', 'co');
      return stderrOf(['fetch', '-q', mirror, 'main'], { cwd: join(sb.root, 'co') });
    },
  },
  'is corrupt': {
    damage: () => {
      explode();
      rewriteLoose(blob(), (old) => old.subarray(0, old.length - 6));
    },
    meet: () => stderrOf(['pack-objects', '--stdout'], { cwd: mirror, input: `${blob()}\n` }),
  },
  'corrupt loose object': {
    damage: () => {
      explode();
      rewriteLoose(blob(), (old) => old.subarray(0, old.length - 6));
    },
    meet: () => stderrOf(['pack-objects', '--stdout'], { cwd: mirror, input: `${blob()}\n` }),
  },
  'unable to unpack [0-9a-f]{7,} header': {
    damage: () => {
      explode();
      rewriteLoose(blob(), () => Buffer.from('garbage'));
    },
    meet: () => stderrOf(['pack-objects', '--stdout'], { cwd: mirror, input: `${blob()}\n` }),
  },
};

for (const [pattern, c] of Object.entries(CASES)) {
  test(`"${pattern}": git says it of a mirror damaged for real, and fsck or a re-read confirms it`, async () => {
    c.damage();
    const stderr = c.meet();
    const line = damageLine(stderr, mirror);
    assert.ok(line, `no damage line in:\n${stderr}`);
    assert.ok(stderr.split('\n').some((l) => new RegExp(pattern).test(l) && !/^remote:/.test(l)), `git no longer says "${pattern}":\n${stderr}`);
    assert.ok(await confirm(stderr), `not confirmed for:\n${stderr}`);
  });
}

test('an upstream that is gone is not damage', async () => {
  const stderr = stderrOf(['fetch', '--', join(sb.root, 'nowhere'), '+refs/heads/*:refs/heads/*'], { cwd: mirror });
  assert.is(damageLine(stderr, mirror), undefined, stderr);
  assert.is(await confirm(stderr), undefined);
});

test('a server that refuses the connection is not damage', async () => {
  const stderr = stderrOf(['fetch', '--', 'http://127.0.0.1:1/x.git', '+refs/heads/*:refs/heads/*'], { cwd: mirror });
  assert.is(damageLine(stderr, mirror), undefined, stderr);
});

test("the user's own broken ~/.gitconfig is not the mirror's damage", async () => {
  writeFileSync(join(sb.home, '.gitconfig'), 'garbage{{\n');
  const syntax = stderrOf(['cat-file', '-e', 'HEAD'], { cwd: mirror });
  assert.match(syntax, /bad config line 1 in file/);
  assert.is(damageLine(syntax, mirror), undefined, syntax);
  writeFileSync(join(sb.home, '.gitconfig'), '[core]\n\tcompression = 9z\n');
  const numeric = stderrOf(['cat-file', '-e', 'HEAD'], { cwd: mirror });
  assert.match(numeric, /bad numeric config value/);
  assert.is(damageLine(numeric, mirror), undefined, numeric);
});

test("a damaged upstream's complaints, fetching into a healthy mirror, are not confirmed", async () => {
  upstream.commit('third', { 'src/b.txt': 'b\n'.repeat(500) });
  git(sb, upstream.dir, 'repack', '-a', '-d', '-q');
  cutPack(join(upstream.dir, '.git'));
  const stderr = stderrOf(['fetch', '--', upstream.dir, '+refs/heads/*:refs/heads/*'], { cwd: mirror });
  assert.ok(damageLine(stderr, mirror), `expected a damage-looking line:\n${stderr}`);
  assert.is(await confirm(stderr), undefined);
});

test('a full disk is never damage, whatever else git says with it', () => {
  // Not made for real (a test cannot fill a disk safely): git's own wording.
  const stderr = 'error: unable to write file objects/ab/cdef: No space left on device\nfatal: loose object abcdef0123456789abcdef0123456789abcdef01 (stored in objects/ab/cdef) is corrupt\n';
  assert.is(damageLine(stderr, mirror), undefined);
});

test.run();
