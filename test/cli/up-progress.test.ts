// What `weft up` shows while it works on a terminal (report.ts): a live spinner where the
// terminal can draw one, plain lines where it cannot. Run in a real pseudo-terminal (tmux).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { isolatedEnv, weftBin } from '../helpers/cli.js';
import { buildTar, gzip } from '../helpers/archive-builder.js';
import { serve } from '../helpers/http-server.js';
import { gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';

let sb: GitSandbox;
let t: TmuxSession | undefined;

test.before.each(() => {
  sb = gitSandbox();
  const a = makeUpstream(sb, 'alpha');
  const b = makeUpstream(sb, 'beta');
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n  beta:\n    git: ${b.dir}\n`);
});

test.after.each(async () => {
  await t?.kill();
  t = undefined;
  sb.cleanup();
});

/** `weft up ARGS` on a terminal, with `extra` in its environment (CI never set). */
function upOnTerminal(extra: NodeJS.ProcessEnv, ...args: string[]): TmuxSession {
  const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
  delete env['CI'];
  const script = join(sb.root, 'run.sh');
  const assign = Object.entries(extra).map(([k, v]) => `${k}=${v} `).join('');
  writeFileSync(script, `${assign}${JSON.stringify(process.execPath)} ${JSON.stringify(weftBin)} up ${args.join(' ')}\n`);
  t = startTmux({ argv: ['sh', script], cwd: sb.workspace, env, width: 100, height: 30 });
  return t;
}

test('TERM=dumb (a terminal that cannot redraw a line): plain lines per source, as off a terminal, not a frozen "- 0/2"', async () => {
  const s = upOnTerminal({ TERM: 'dumb' });
  assert.is(await s.exitStatus(60_000), 0, s.screen());
  const screen = s.screen();
  assert.match(screen, 'weft: fetching alpha');
  assert.match(screen, 'weft: fetching beta');
  assert.not.match(screen, /^- 0\/2/m, screen);
});

/** A `git` first on PATH that holds every clone (a minute), so the spinner stays up; returns its PATH and the file it creates. */
function holdingGit(): { PATH: string; mark: string } {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = join(sb.root, 'bin');
  const mark = join(sb.root, 'cloning');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'git'), `#!/bin/sh\ncase "$*" in *clone*) : >'${mark}'; exec sleep 60;; esac\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  return { PATH: `${bin}:${process.env['PATH']}`, mark };
}

for (const [what, extra, args] of [['NO_COLOR', { NO_COLOR: '1' }, []], ['--no-color', { NO_COLOR: '' }, ['--no-color']]] as const) {
  test(`${what}: the spinner is drawn without colour`, async () => {
    const held = holdingGit();
    const s = upOnTerminal({ ...extra, PATH: held.PATH }, ...args);
    const end = Date.now() + 30_000;
    while (!existsSync(held.mark) && Date.now() < end) await sleep(25);
    await s.waitFor(/0\/2 alpha/);
    const screen = s.screen(true);
    assert.not.match(screen, /\x1b\[3\dm/, JSON.stringify(screen.slice(0, 300)));
  });
}

test('off a terminal, an archive is said to be fetching (with its URL, redacted) as its download starts, not only after its first MiB: a slow server showed nothing', async () => {
  const body = gzip(buildTar([{ name: 'pkg/a.txt', type: 'file', data: 'a\n' }]));
  const integrity = `sha256-${createHash('sha256').update(body).digest('base64')}`;
  // Headers and a few bytes, then silence: the download is under way and far from 1 MiB.
  const server = await serve({ '/pkg.tar.gz': { stallAfter: 16, body } });
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  tarball:\n    archive: ${server.url}/pkg.tar.gz?token=SEKRIT\n    integrity: ${integrity}\n`);
  const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
  const child = spawn(process.execPath, [weftBin, 'up'], { cwd: sb.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  const closed = new Promise((r) => child.on('close', r));
  try {
    const end = Date.now() + 15_000;
    while (!/weft: fetching tarball/.test(err) && Date.now() < end && child.exitCode === null) await sleep(50);
    assert.match(err, `weft: fetching tarball: ${server.url}/pkg.tar.gz?token=***\n`);
    assert.not.match(err, 'SEKRIT');
  } finally {
    child.kill('SIGTERM');
    await closed;
    await server.close();
  }
});

test.run();
