// `weft cache ls|prune|verify` as a person runs it: the real executable, a real cache
// filled by a real `weft up`, a git server that wants credentials.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { serveGitWithAuth, type GitHttpServer } from '../helpers/git-http-auth.js';
import { git, gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';

const TOKEN = 'tok-Hq93-secret';
const DAY = 24 * 60 * 60 * 1000;

let sb: GitSandbox;
let env: NodeJS.ProcessEnv;
let ws: string;
let server: GitHttpServer;

test.before.each(async () => {
  sb = gitSandbox();
  env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
  ws = join(sb.root, 'project');
  mkdirSync(ws);
  const secret = makeUpstream(sb, 'secret');
  const open = makeUpstream(sb, 'open');
  const served = join(sb.root, 'served');
  mkdirSync(served);
  git(sb, sb.root, 'clone', '--quiet', '--bare', secret.dir, join(served, 'secret.git'));
  server = await serveGitWithAuth(served, 'ci', TOKEN);
  const authed = server.url.replace('http://', `http://ci:${TOKEN}@`);
  writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  secret:\n    git: ${authed}/secret.git\n  open:\n    git: ${open.dir}\n`);
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 0, r.stdout + r.stderr);
});

test.after.each(async () => {
  await server.close();
  sb.cleanup();
});

function mirrors(): string[] {
  return readdirSync(join(sb.cache, 'git')).filter((n) => n.endsWith('.git'));
}

function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    const p = join(dir, rel);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile() && readFileSync(p).includes(text)) found.push(rel);
  }
  return found;
}

test('weft cache ls lists every mirror with its URL (never its credentials), size and last use, and the total', async () => {
  const r = await weft(['cache', 'ls'], { cwd: ws, env });
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.is(lines.length, 3, r.stdout);
  assert.match(r.stdout, new RegExp(`git .*used today .*${server.url.replace('http://', '')}/secret\\.git`));
  assert.match(r.stdout, /git +\d+ (B|KiB) .*upstream\/open/, r.stdout);
  assert.match(lines[2]!, new RegExp(`^2 entries, \\d+ KiB in ${sb.cache}$`));
  assert.not.match(r.stdout + r.stderr, TOKEN);
  assert.equal(filesContaining(sb.cache, TOKEN), [], 'the token is in no cache file');

  const j = await weft(['cache', 'ls', '--json'], { cwd: ws, env });
  const data = JSON.parse(j.stdout) as { entries: Array<{ kind: string; sizeBytes: number; useRecorded: boolean }>; totalBytes: number };
  assert.is(data.entries.length, 2);
  assert.is(data.totalBytes, data.entries.reduce((n, e) => n + e.sizeBytes, 0));
  assert.ok(data.entries.every((e) => e.kind === 'git' && e.useRecorded && e.sizeBytes > 0));
});

test('weft cache prune --dry-run names what is unused for longer than --older-than and removes nothing; prune removes it', async () => {
  const used = join(sb.cache, 'used');
  const stamps = readdirSync(used);
  assert.is(stamps.length, 2);
  const old = new Date(Date.now() - 45 * DAY);
  for (const s of stamps) utimesSync(join(used, s), old, old);
  const recent = await weft(['cache', 'prune', '--older-than', '60'], { cwd: ws, env });
  assert.is(recent.code, 0);
  assert.match(recent.stdout, 'nothing unused for 60 days');
  assert.is(mirrors().length, 2);

  const dry = await weft(['cache', 'prune', '--dry-run'], { cwd: ws, env });
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would remove git .*secret\.git \(.*used 45 days ago\)/);
  assert.match(dry.stdout, /would free \d+ KiB/);
  assert.is(mirrors().length, 2, 'a dry run removes nothing');

  const real = await weft(['cache', 'prune'], { cwd: ws, env });
  assert.is(real.code, 0, real.stderr);
  assert.is((real.stdout.match(/^removed git /gm) ?? []).length, 2);
  assert.equal(mirrors(), []);
  assert.equal(readdirSync(join(sb.cache, 'tmp')), []);
  // The checkouts stand on their own; weft up still has nothing to do.
  const again = await weft(['up'], { cwd: ws, env });
  assert.is(again.code, 0, again.stdout + again.stderr);
});

test('weft cache verify exits 1 naming a broken mirror; --repair removes it and the next weft up fetches it again', async () => {
  const ok = await weft(['cache', 'verify'], { cwd: ws, env });
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, '2 entries checked, 0 broken');

  const [first] = mirrors();
  const broken = join(sb.cache, 'git', first!);
  rmSync(join(broken, 'objects'), { recursive: true });
  mkdirSync(join(broken, 'objects'));
  const bad = await weft(['cache', 'verify'], { cwd: ws, env });
  assert.is(bad.code, 1);
  assert.match(bad.stdout, new RegExp(`broken git .*\\(${broken}\\)`));
  assert.match(bad.stdout, '1 broken; "weft cache verify --repair" removes them');
  assert.ok(existsSync(broken), 'verify alone changes nothing');

  const repaired = await weft(['cache', 'verify', '--repair'], { cwd: ws, env });
  assert.is(repaired.code, 0, repaired.stdout);
  assert.match(repaired.stdout, 'removed, the next weft up fetches it again');
  assert.not.ok(existsSync(broken));

  // Forcing a refetch: the checkout of that mirror is removed, weft up clones it anew.
  for (const name of ['secret', 'open']) rmSync(join(ws, name), { recursive: true });
  const up = await weft(['up'], { cwd: ws, env });
  assert.is(up.code, 0, up.stdout + up.stderr);
  assert.is(mirrors().length, 2);
  const after = await weft(['cache', 'verify'], { cwd: ws, env });
  assert.is(after.code, 0, after.stdout);
});

test('weft cache verify on a cache shared with another user: their mirrors, which git refuses to read (dubious ownership), are not checked, not called broken, and --repair leaves them', async () => {
  // git's own switch for "this repository belongs to someone else", as when the cache's
  // mirrors were written by a teammate: a real chown needs root.
  const other = { ...env, GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' };
  const before = mirrors();
  const r = await weft(['cache', 'verify', '--repair'], { cwd: ws, env: other });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.match(r.stdout, 'broken git');
  assert.match(r.stdout, /not checked git \S+ \(\S+\): owned by another user; git reads only your own repositories \(safe\.directory\), so its owner must check it/);
  assert.match(r.stdout, '0 entries checked, 0 broken, 2 not checked (another user\'s)');
  assert.equal(mirrors(), before, 'nothing removed');
  const json = JSON.parse((await weft(['cache', 'verify', '--json'], { cwd: ws, env: other })).stdout) as { entries: { ok: boolean; unchecked?: string }[] };
  assert.ok(json.entries.every((e) => e.ok && /another user/.test(e.unchecked ?? '')), JSON.stringify(json));
});

test('weft cache verify shows what git fsck found in a mirror missing an object, and which mirror, credentials removed; -q says only that, on stderr', async () => {
  const quiet = await weft(['cache', 'verify', '-q'], { cwd: ws, env });
  assert.is(quiet.code, 0, quiet.stderr);
  assert.is(quiet.stdout + quiet.stderr, '', 'all well: -q prints nothing');

  const mirror = mirrors().map((m) => join(sb.cache, 'git', m)).find((m) => git(sb, m, 'config', 'remote.origin.url').includes('secret.git'))!;
  // Objects loose, so that one of them can go: a tree the newest commit needs.
  const packDir = join(mirror, 'objects', 'pack');
  const packs = readdirSync(packDir).filter((f) => f.endsWith('.pack'));
  for (const f of readdirSync(packDir)) renameSync(join(packDir, f), join(sb.root, f));
  for (const f of packs) execFileSync('git', ['unpack-objects', '-q'], { cwd: mirror, env: sb.env, input: readFileSync(join(sb.root, f)) });
  const tree = git(sb, mirror, 'rev-parse', 'HEAD^{tree}');
  rmSync(join(mirror, 'objects', tree.slice(0, 2), tree.slice(2)));

  const bad = await weft(['cache', 'verify'], { cwd: ws, env });
  assert.is(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, new RegExp(`broken git http://127\\.0\\.0\\.1:\\d+/secret\\.git \\(${mirror}\\)`), bad.stdout);
  assert.match(bad.stdout, `missing tree ${tree}`);
  assert.match(bad.stdout, new RegExp(`broken link from commit [0-9a-f]{40} to tree ${tree}`));
  assert.not.match(bad.stdout + bad.stderr, TOKEN);
  assert.not.match(bad.stdout, /git fsck exited with/);

  const q = await weft(['cache', 'verify', '-q'], { cwd: ws, env });
  assert.is(q.code, 1);
  assert.is(q.stdout, '');
  assert.match(q.stderr, `(${mirror})`);
  assert.match(q.stderr, `missing tree ${tree}`);
  assert.not.match(q.stderr, TOKEN);
});

test('weft cache with no action, an unknown one or a bad --older-than is a usage error (exit 2) that removes nothing', async () => {
  for (const args of [['cache'], ['cache', 'purge'], ['cache', 'prune', '--older-than', 'soon'], ['cache', 'prune', '--older-than', '-3'], ...['0x10', '1e3', ' 8', '', 'Infinity', '.5', '2.'].map((n) => ['cache', 'prune', '--older-than', n])]) {
    const r = await weft(args, { cwd: ws, env });
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, 'WEFT_E_USAGE');
    assert.match(r.stderr, 'hint:');
  }
  // Fractions of days are meant.
  const frac = await weft(['cache', 'prune', '--older-than', '1.5', '--dry-run'], { cwd: ws, env });
  assert.is(frac.code, 0, frac.stderr);
  assert.is(mirrors().length, 2);
});

test.run();
