import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
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

/**
 * git daemon serving `base` on a free loopback port. The port is free when asked for and
 * taken by the daemon a moment later; another process may take it in between (test files
 * run side by side), and then the daemon, unable to listen, exits: a new port is tried.
 * Ready means our repository answers there, not only that something listens.
 */
async function startDaemon(base: string): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const d = spawn('git', ['daemon', '--export-all', '--reuseaddr', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, base], {
      env: sb.env,
      stdio: 'ignore',
    });
    daemon = d;
    const end = Date.now() + 20_000;
    while (d.exitCode === null && d.signalCode === null && Date.now() < end) {
      const probe = spawnSync('git', ['ls-remote', `git://127.0.0.1:${port}/lib`], { env: sb.env, encoding: 'utf8', timeout: 10_000 });
      if (probe.status === 0 && probe.stdout.includes('refs/heads/main') && d.exitCode === null) return port;
      await sleep(50);
    }
    if (d.exitCode === null && d.signalCode === null) throw new Error('git daemon did not start');
  }
  throw new Error('git daemon found no free port in 5 tries');
}

test('a git:// URL served by git daemon on 127.0.0.1 is cloned and tracked', async () => {
  const upstream = richUpstream(sb, 'lib');
  const base = join(sb.root, 'upstream');
  const port = await startDaemon(base);
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
