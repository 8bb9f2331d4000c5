// The forker (src/forker.ts) starts a run's child processes from one shell: each job must
// get exactly its own arguments, directory, output and exit status; a timeout or abort must
// kill the job with its children; and anything it cannot carry must answer null without
// running, so the caller can fall back to an ordinary spawn.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createForker } from '../src/forker.js';
import { running as alive } from './helpers/process.js';

let root: string;
let scratch: string;
test.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'weft-forker-'));
  // Quoted into the shell's script: a quote and a $ in it must not break it.
  scratch = join(root, "scr'atch $x");
});
test.after.each(() => rmSync(root, { recursive: true, force: true }));

const env = { PATH: process.env.PATH, LC_ALL: 'C' };

const waitFor = async (cond: () => boolean, ms = 5000): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (cond()) return true;
  return cond();
};

test('parallel jobs each get their own directory, output and exit status', async () => {
  const f = createForker({ env, scratchDir: scratch });
  const script = 'n=$(basename "$PWD"); echo "out $PWD"; echo "err $n" >&2; exit "${n#d}"';
  const dirs = [0, 3, 1, 7, 2].map((n) => join(root, `d${n}`));
  for (const d of dirs) mkdirSync(d);
  const results = await Promise.all(dirs.map((d) => f.run(['sh', '-c', script], { cwd: d })));
  f.close();
  assert.equal(
    results.map((r) => [r?.code, r?.signal, r?.stdout, r?.stderr]),
    dirs.map((d, i) => [[0, 3, 1, 7, 2][i], null, `out ${d}\n`, `err d${[0, 3, 1, 7, 2][i]}\n`]),
  );
});

test('arguments arrive byte for byte, none of them interpreted by the shell', async () => {
  const f = createForker({ env, scratchDir: scratch });
  const args = ['plain', 'two words', '', ' lead', "it's", '"dq"', '$HOME', '`id`', '$(id)', 'a\\b\\\\', '*', '-n', '--', 'ünï ✓', '\ttab', ';exit 3', '&&', '|'];
  const r = await f.run([process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args], { cwd: root });
  f.close();
  assert.is(r?.code, 0, r?.stderr);
  assert.equal(JSON.parse(r!.stdout), args);
});

test("a directory named with the shell's special characters is the job's directory", async () => {
  const f = createForker({ env, scratchDir: scratch });
  const dir = join(root, "it's $HOME `id` \\ \"q\" ;&|*");
  mkdirSync(dir);
  const r = await f.run(['sh', '-c', 'pwd'], { cwd: dir });
  f.close();
  assert.equal([r?.code, r?.stdout], [0, `${dir}\n`]);
});

test('stdin is closed, and a job without output makes no files', async () => {
  const f = createForker({ env, scratchDir: scratch });
  const r = await f.run(['cat'], { cwd: root });
  assert.equal([r?.code, r?.stdout], [0, '']);
  const q = await f.run(['sh', '-c', 'echo hidden; echo hidden >&2; exit 4'], { cwd: root, output: false });
  assert.equal([q?.code, q?.stdout, q?.stderr], [4, '', '']);
  assert.ok(await waitFor(() => readdirSync(scratch).length === 0), `scratch left: ${readdirSync(scratch)}`);
  f.close();
  assert.not.ok(existsSync(scratch), 'close removes the scratch directory');
});

test('a missing command is exit 127, as from a shell', async () => {
  const f = createForker({ env, scratchDir: scratch });
  const r = await f.run(['weft-no-such-command-here'], { cwd: root });
  f.close();
  assert.is(r?.code, 127);
});

test('what it cannot carry answers null and runs nothing', async () => {
  const f = createForker({ env, scratchDir: scratch });
  const marker = join(root, 'ran');
  assert.is(await f.run(['sh', '-c', `touch ${marker}`], { cwd: join(root, 'absent') }), null, 'missing directory');
  assert.is(await f.run(['sh', '-c', `touch ${marker}`, 'x\ny'], { cwd: root }), null, 'newline in an argument');
  assert.is(await f.run(['sh', '-c', `touch ${marker}`], { cwd: join(root, 'a\nb') }), null, 'newline in the directory');
  assert.is(await f.run(['sh', '-c', `touch ${marker}`, 'a\0b'], { cwd: root }), null, 'NUL in an argument');
  // The runner still works after refusing.
  const ok = await f.run(['sh', '-c', 'exit 5'], { cwd: root });
  f.close();
  assert.is(ok?.code, 5);
  assert.is(await f.run(['true'], { cwd: root }), null, 'closed');
  assert.not.ok(existsSync(marker));
});

test('a job over time is killed with its children and reported as SIGKILL', async () => {
  const f = createForker({ env, scratchDir: scratch });
  const pidFile = join(root, 'child.pid');
  const started = Date.now();
  // The limit leaves a loaded machine time to start the job and write the pid (whole, by rename).
  const r = await f.run(['sh', '-c', `sleep 30 & echo $! > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile}; wait`], { cwd: root, timeoutMs: 3000 });
  assert.equal([r?.code, r?.signal], [null, 'SIGKILL']);
  assert.ok(Date.now() - started < 20_000, 'killed, not waited for');
  assert.ok(existsSync(pidFile), 'the job had started');
  const child = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(child > 0);
  assert.ok(await waitFor(() => !alive(child)), `the job's child ${child} was left running`);
  // Other jobs go on.
  assert.is((await f.run(['true'], { cwd: root }))?.code, 0);
  f.close();
});

test('an abort kills every running job and answers at once', async () => {
  const ac = new AbortController();
  const f = createForker({ env, scratchDir: scratch, signal: ac.signal });
  const pids = [join(root, 'a.pid'), join(root, 'b.pid')];
  const running = Promise.all(pids.map((p) => f.run(['sh', '-c', `echo $$ > ${p}; exec sleep 30`], { cwd: root })));
  assert.ok(await waitFor(() => pids.every((p) => existsSync(p) && readFileSync(p, 'utf8').endsWith('\n'))));
  ac.abort();
  const results = await running;
  assert.equal(results.map((r) => [r?.code, r?.signal]), [[null, 'SIGKILL'], [null, 'SIGKILL']]);
  for (const p of pids) {
    const pid = Number(readFileSync(p, 'utf8'));
    assert.ok(await waitFor(() => !alive(pid)), `job ${pid} still running after the abort`);
  }
  f.close();
});

test('an idle forker does not keep node running', () => {
  const program = `
    import { createForker } from ${JSON.stringify(new URL('../src/forker.js', import.meta.url).href)};
    const f = createForker({ env: { PATH: process.env.PATH }, scratchDir: ${JSON.stringify(scratch)} });
    const r = await f.run(['sh', '-c', 'echo done'], {});
    process.stdout.write(r.stdout);`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 15_000 });
  assert.is(res.error, undefined, 'node exited by itself');
  assert.equal([res.status, res.stdout], [0, 'done\n'], res.stderr);
});

test.run();
