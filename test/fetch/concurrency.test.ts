import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mirrorPath, up, type FetchEvent } from '../../src/fetch/index.js';
import { scratchName } from '../../src/fetch/tmp.js';
import type { Checkout, Plan } from '../../src/types.js';
import { gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';
import { slowSsh } from '../helpers/fetch-slow-ssh.js';
import { waitFor } from '../helpers/wait.js';

const runUp = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'fetch-run-up.js');

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
test.before.each(() => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
});
test.after.each(() => sb.cleanup());

function planIn(ws: string, url: string): Plan {
  return makePlan(ws, [{ ...gitSource(sb, 'lib', { url, ref: 'dev' }), dir: join(ws, 'lib') }]);
}

function spawnUp(plan: Plan, env: NodeJS.ProcessEnv) {
  const file = join(sb.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(plan));
  const child = spawn(process.execPath, [runUp, file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<Checkout[]>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Checkout[]) : reject(new Error(`exit ${code}: ${err}`)))),
  );
  return { child, done };
}

test('a second up on one workspace waits for the first and then finds nothing to do', async () => {
  const plan = planIn(sb.workspace, upstream.dir);
  const events: FetchEvent[] = [];
  const opts = { env: sb.env, cacheDir: sb.cache };
  const [a, b] = await Promise.all([up(plan, opts), up(plan, { ...opts, onEvent: (e) => events.push(e) })]);
  assert.is(a[0]!.status, 'cloned', a[0]!.message);
  assert.is(b[0]!.status, 'unchanged', b[0]!.message);
  assert.ok(events.some((e) => e.phase === 'waiting' && /waiting for weft process \d+/.test(e.message ?? '')));
});

test('two workspaces on one cache, in two processes at once, both succeed with one mirror', async () => {
  const mark = join(sb.root, 'ssh-started');
  const env = { ...sb.env, ...slowSsh(sb.root, { sleepSeconds: 0.5, mark }) };
  const url = `ssh://fakehost${upstream.dir}`;
  const ws2 = join(sb.root, 'ws2');
  const one = spawnUp(planIn(sb.workspace, url), env);
  const two = spawnUp(planIn(ws2, url), env);
  const [a, b] = await Promise.all([one.done, two.done]);
  assert.is(a[0]!.status, 'cloned', a[0]!.message);
  assert.is(b[0]!.status, 'cloned', b[0]!.message);
  assert.is(a[0]!.revision, upstream.d1);
  assert.is(b[0]!.revision, upstream.d1);
  assert.equal(readdirSync(join(sb.cache, 'git')).filter((f) => f.endsWith('.git')).length, 1);
  assert.equal(readdirSync(join(sb.cache, 'tmp')), []);
});

test('kill -9 during a clone leaves no visible half entry, and the next run completes', async () => {
  const mark = join(sb.root, 'ssh-started');
  const url = `ssh://fakehost${upstream.dir}`;
  const plan = planIn(sb.workspace, url);
  const slow = { ...sb.env, ...slowSsh(sb.root, { sleepSeconds: 60, mark }) };
  const { child, done } = spawnUp(plan, slow);
  done.catch(() => undefined);
  const started = () => readdirSync(sb.root).filter((f) => f.startsWith(basename(mark) + '.'));
  await waitFor(() => started().length > 0, 'the clone to start');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  // The orphaned git (its own process group) is stopped as a crash would leave it, then cleaned up.
  const sshPid = Number(execFileSync('cat', [join(sb.root, started()[0]!)], { encoding: 'utf8' }).trim());
  const pgid = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(sshPid)], { encoding: 'utf8' }).trim());
  process.kill(-pgid, 'SIGKILL');

  const mirror = mirrorPath(sb.cache, url);
  assert.not.ok(existsSync(mirror), 'no mirror entry became visible');
  // A clone lives in scratch space until it is whole: the cache's tmp/ (a mirror) or a
  // hidden .weft-tmp- directory beside the checkout (a first clone straight from the remote).
  const scratch = [...(existsSync(join(sb.cache, 'tmp')) ? readdirSync(join(sb.cache, 'tmp')) : []), ...readdirSync(sb.workspace).filter((f) => f.includes('.weft-tmp-'))];
  assert.ok(scratch.length > 0, 'the partial clone is only in scratch space');
  assert.not.ok(existsSync(join(sb.workspace, 'lib')), 'no checkout became visible');

  const fast = { ...sb.env, ...slowSsh(sb.root, { sleepSeconds: 0, mark }) };
  const [c] = await up(plan, { env: fast, cacheDir: sb.cache, defaults: { workspaceLockWaitMs: 2000 } });
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.revision, upstream.d1);
  assert.ok(existsSync(join(mirror, 'HEAD')));
  assert.equal(readdirSync(join(sb.cache, 'tmp')), [], 'the dead run’s scratch is swept');
  assert.equal(readdirSync(sb.workspace).filter((f) => f.includes('.weft-tmp-')), [], 'the dead run’s checkout scratch is swept');
  assert.not.ok(existsSync(`${mirror}.lock`));
  assert.not.ok(existsSync(join(sb.workspace, '.weft', 'lock')));
});

test('kill -9 while a group of new checkouts is written leaves no visible checkout, and the next run completes', async () => {
  // A second workspace of two pinned sources: their work trees are written by one group job,
  // held here in a `git` wrapper that marks its pid and sleeps before the group's read-tree.
  const other = richUpstream(sb, 'other');
  const head = (dir: string, ref: string) => execFileSync('git', ['rev-parse', ref], { cwd: dir, env: sb.env, encoding: 'utf8' }).trim();
  const sources = (ws: string) => makePlan(ws, [
    { ...gitSource(sb, 'lib', { url: upstream.dir, ref: 'dev', commit: head(upstream.dir, 'dev') }), dir: join(ws, 'lib') },
    { ...gitSource(sb, 'other', { url: other.dir, ref: 'main', commit: head(other.dir, 'main') }), dir: join(ws, 'other') },
  ]);
  const first = await up(sources(sb.workspace), { env: sb.env, cacheDir: sb.cache });
  assert.ok(first.every((c) => c.status === 'cloned'), JSON.stringify(first));
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = join(sb.root, 'slow-bin');
  const mark = join(sb.root, 'group-started');
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\ncase "$*" in *--work-tree=*) echo $$ >'${mark}.tmp'; mv '${mark}.tmp' '${mark}'; sleep 60;; esac\nexec '${realGit}' "$@"\n`,
    { mode: 0o755 },
  );
  const ws2 = join(sb.root, 'ws2');
  execFileSync('mkdir', ['-p', ws2]);
  const { child, done } = spawnUp(sources(ws2), { ...sb.env, PATH: `${bin}:${sb.env.PATH}` });
  done.catch(() => undefined);
  await waitFor(() => existsSync(mark), 'the group job to start');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  const jobPid = Number(execFileSync('cat', [mark], { encoding: 'utf8' }).trim());
  const pgid = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(jobPid)], { encoding: 'utf8' }).trim());
  process.kill(-pgid, 'SIGKILL');

  const visible = readdirSync(ws2).filter((f) => !f.startsWith('.'));
  assert.equal(visible, [], 'no checkout became visible');
  assert.ok(readdirSync(ws2).some((f) => f.includes('.weft-tmp-')), 'the half-made checkouts are only in scratch space');

  const again = await up(sources(ws2), { env: sb.env, cacheDir: sb.cache, defaults: { workspaceLockWaitMs: 2000 } });
  assert.ok(again.every((c) => c.status === 'cloned'), JSON.stringify(again));
  for (const name of ['lib', 'other']) {
    assert.is(execFileSync('git', ['status', '--porcelain'], { cwd: join(ws2, name), env: sb.env, encoding: 'utf8' }), '', `${name} is clean`);
  }
  assert.equal(readdirSync(ws2).filter((f) => f.includes('.weft-tmp-')), [], 'the dead run’s checkout scratch is swept');
  assert.equal(readdirSync(join(sb.cache, 'tmp')), [], 'and its scratch repository');
});

test('a dead run\'s scratch that cannot be removed yet (its orphaned git still writing there) is left for later: the run goes on', async () => {
  // What a kill -9 leaves: the killed weft's git children live on (their own process groups)
  // and keep writing into its scratch, so removing it can fail (ENOTEMPTY). Made
  // deterministic here with a file that cannot be removed at all (chattr +i).
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => dead.once('close', r));
  const host = scratchName().split('-')[0];
  const name = () => `${host}-${dead.pid}-${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
  const stuck = [join(sb.workspace, `.lib.weft-tmp-${name()}`), join(sb.cache, 'tmp', name())];
  for (const dir of stuck) {
    mkdirSync(join(dir, 'objects'), { recursive: true });
    writeFileSync(join(dir, 'objects', 'pack'), 'still being written');
  }
  const gone = join(sb.workspace, `.other.weft-tmp-${name()}`);
  mkdirSync(gone);
  const immutable = (on: boolean) => execFileSync('chattr', [on ? '+i' : '-i', ...stuck.map((d) => join(d, 'objects', 'pack'))]);
  immutable(true);
  try {
    const [c] = await up(planIn(sb.workspace, upstream.dir), { env: sb.env, cacheDir: sb.cache });
    assert.is(c!.status, 'cloned', c!.message);
    assert.is(c!.revision, upstream.d1);
    assert.ok(stuck.every((d) => existsSync(d)), 'what could not be removed is still there, for a later run');
    assert.not.ok(existsSync(gone), 'the rest of the dead run\'s scratch is swept');
  } finally {
    immutable(false);
  }
});

test.run();
