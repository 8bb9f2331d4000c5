import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { up } from '../../src/fetch/index.js';
import { gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let daemon: ChildProcess | undefined;
test.before.each(() => {
  sb = gitSandbox();
});
test.after.each(async () => {
  if (daemon && daemon.exitCode === null) {
    const closed = new Promise((r) => daemon!.once('close', r));
    daemon.kill('SIGTERM');
    await closed;
  }
  daemon = undefined;
  sb.cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

test('a git:// URL served by git daemon on 127.0.0.1 is cloned and tracked', async () => {
  const upstream = richUpstream(sb, 'lib');
  const base = join(sb.root, 'upstream');
  const port = await freePort();
  daemon = spawn('git', ['daemon', '--export-all', '--reuseaddr', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, base], {
    env: sb.env,
    stdio: 'ignore',
  });
  const end = Date.now() + 10_000;
  while (!(await reachable(port))) {
    if (Date.now() > end) throw new Error('git daemon did not start');
    await sleep(50);
  }
  const url = `git://127.0.0.1:${port}/lib`;
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url, ref: 'main' })]);
  const [c] = await up(plan, { env: sb.env, cacheDir: sb.cache });
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.revision, upstream.c3);
  const c4 = upstream.commit('fourth', { README: 'lib 4\n' });
  const [d] = await up(plan, { env: sb.env, cacheDir: sb.cache });
  assert.is(d!.status, 'updated', d!.message);
  assert.is(d!.revision, c4);
});

test.run();
