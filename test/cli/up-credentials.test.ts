// Sources that need credentials: never a prompt off a terminal (the failure says how to
// fix it); on a terminal, one retry per source after the parallel phase, git asking the
// person there, and nothing of what was typed stored or printed by weft.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { serveGitWithAuth, type GitHttpServer } from '../helpers/git-http-auth.js';
import { git, gitSandbox, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';
import { fakeSshMaster } from '../helpers/fake-ssh-master.js';
import { startTmux } from '../helpers/tmux.js';

const USER = 'tester';
const PASSWORD = 'pw-Zq7-never-logged';

let sb: GitSandbox;
let env: NodeJS.ProcessEnv;
let ws: string;
let server: GitHttpServer;
let secret: Upstream;
let open: Upstream;
/** A terminal running `bash script` with exactly `env`, as a person would see it. */
function tmuxSession(dir: string, script: string, env: NodeJS.ProcessEnv) {
  const file = join(dir, 'run.sh');
  writeFileSync(file, script + '\n');
  const t = startTmux({ argv: ['bash', file], cwd: dir, env });
  return {
    screen: () => t.screen(),
    typeLine: (text: string) => t.line(text),
    waitFor: async (re: RegExp, ms?: number) => (await t.waitFor(re, ms))[0],
    async waitForFile(path: string, ms = 60_000) {
      const until = Date.now() + ms;
      while (!existsSync(path)) {
        if (Date.now() > until) throw new Error(`${path} never appeared; the terminal shows:\n${t.screen()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    kill: () => t.kill(),
  };
}

let tmux: ReturnType<typeof tmuxSession> | undefined;

test.before.each(async () => {
  sb = gitSandbox();
  env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
  ws = join(sb.root, 'project');
  mkdirSync(ws);
  secret = makeUpstream(sb, 'secret');
  secret.commit('second', { 'b.txt': 'b\n' });
  open = makeUpstream(sb, 'open');
  const served = join(sb.root, 'served');
  mkdirSync(served);
  git(sb, sb.root, 'clone', '--quiet', '--bare', secret.dir, join(served, 'secret.git'));
  server = await serveGitWithAuth(served, USER, PASSWORD);
  writeFileSync(
    join(ws, 'weft.yaml'),
    `weft: 1\nsources:\n  secret:\n    git: ${server.url}/secret.git\n  open:\n    git: ${open.dir}\n`,
  );
});

test.after.each(async () => {
  await tmux?.kill();
  tmux = undefined;
  await server.close();
  sb.cleanup();
});

/** Every file under `dir` whose bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && readFileSync(p).includes(text)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

test('off a terminal the source needing credentials fails with needsAuth and how to fix it, the others succeed, nothing prompts', async () => {
  const r = await weft(['up', '--json'], { cwd: ws, env });
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { checkouts: Array<{ name: string; status: string; code?: string; needsAuth?: boolean; message?: string }> };
  const byName = new Map(report.checkouts.map((c) => [c.name, c]));
  assert.is(byName.get('open')?.status, 'cloned');
  const s = byName.get('secret')!;
  assert.is(s.status, 'failed');
  assert.is(s.code, 'WEFT_E_GIT_AUTH');
  assert.is(s.needsAuth, true);
  assert.match(s.message ?? '', 'weft up secret');
  assert.match(s.message ?? '', 'credential helper');
  assert.not.match(r.stderr, /^(Username|Password) for|retrying/m);
  assert.ok(server.refused() > 0, 'the server was asked and refused');
  assert.equal(server.authHeaders, [], 'git sent no credentials at all');

  const plain = await weft(['up'], { cwd: ws, env });
  assert.is(plain.code, 1);
  assert.match(plain.stdout, /x secret\s+failed\s+WEFT_E_GIT_AUTH/);
  assert.match(plain.stdout, 'run "weft up secret" on a terminal');
});

test('off a terminal, credentials in the URL that the server refuses are said to be refused (not missing), never printed', async () => {
  const TOKEN = 'expired-Tk9-token';
  writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  secret:\n    git: ${server.url.replace('http://', `http://${USER}:${TOKEN}@`)}/secret.git\n`);
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /x secret\s+failed\s+WEFT_E_GIT_AUTH/);
  assert.match(r.stdout, /127\.0\.0\.1:\d+ refused the credentials in the source's URL; check them/);
  assert.not.match(r.stdout, 'needs credentials');
  assert.not.match(r.stdout + r.stderr, TOKEN);
});

test('off a terminal the fix the message gives works: with a credential helper configured, weft up succeeds without a prompt', async () => {
  const home = env['HOME']!;
  writeFileSync(join(home, '.git-credentials'), `${server.url.replace('http://', `http://${USER}:${PASSWORD}@`)}\n`, { mode: 0o600 });
  writeFileSync(join(home, '.gitconfig'), '[credential]\n\thelper = store\n');
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(git(sb, join(ws, 'secret'), 'rev-parse', 'HEAD'), secret.rev('HEAD'));
  assert.not.match(r.stdout + r.stderr, PASSWORD);
});

function terminalScript(args: string): string {
  return `cd '${ws}'\n'${process.execPath}' '${weftBin}' ${args}\necho $? > '${sb.root}/code.tmp' && mv '${sb.root}/code.tmp' '${sb.root}/code'`;
}

test('on a terminal git asks for a username and password once, after the parallel phase, and the source is cloned', async () => {
  tmux = tmuxSession(sb.root, terminalScript('up'), { ...env, TMUX: undefined });
  await tmux.waitFor(/Username for 'http:\/\/127\.0\.0\.1:\d+':/);
  const screen = tmux.screen();
  assert.match(screen, /retrying secret: git needs credentials for 127\.0\.0\.1:\d+/);
  tmux.typeLine(USER);
  await tmux.waitFor(/Password for 'http:\/\/tester@127\.0\.0\.1:\d+':/);
  tmux.typeLine(PASSWORD);
  await tmux.waitForFile(join(sb.root, 'code'));
  const code = readFileSync(join(sb.root, 'code'), 'utf8').trim();
  const final = tmux.screen();
  assert.is(code, '0', final);
  assert.match(final, /\+ secret\s+cloned/);
  assert.is(git(sb, join(ws, 'secret'), 'rev-parse', 'HEAD'), secret.rev('HEAD'));
  assert.is(git(sb, join(ws, 'secret'), 'remote', 'get-url', 'origin'), `${server.url}/secret.git`);
  assert.is((final.match(/^Username for/gm) ?? []).length, 1, 'asked once');

  // Typed once, used, forgotten: not on screen, not in the workspace, cache or home.
  assert.not.match(final, PASSWORD);
  for (const dir of [ws, sb.cache, sb.home]) assert.equal(filesContaining(dir, PASSWORD), [], dir);
  assert.equal(filesContaining(ws, `${USER}@`), []);

  // The next run needs no credentials: the commit is already where it should be.
  const again = await weft(['up'], { cwd: ws, env });
  assert.is(again.code, 0, again.stdout + again.stderr);
});

test('on a terminal two sources on one host ask once: the answer is reused in memory for the second', async () => {
  git(sb, sb.root, 'clone', '--quiet', '--bare', open.dir, join(sb.root, 'served', 'twin.git'));
  writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  secret:\n    git: ${server.url}/secret.git\n  twin:\n    git: ${server.url}/twin.git\n`);
  tmux = tmuxSession(sb.root, terminalScript('up'), { ...env, TMUX: undefined });
  await tmux.waitFor(/^Username for/m);
  tmux.typeLine(USER);
  await tmux.waitFor(/^Password for/m);
  tmux.typeLine(PASSWORD);
  await tmux.waitForFile(join(sb.root, 'code'));
  const screen = tmux.screen();
  assert.is(readFileSync(join(sb.root, 'code'), 'utf8').trim(), '0', screen);
  assert.is((screen.match(/^Username for/gm) ?? []).length, 1, 'asked once');
  assert.match(screen, /retrying (secret|twin) with the credentials given for 127\.0\.0\.1:\d+/);
  assert.is(git(sb, join(ws, 'twin'), 'rev-parse', 'HEAD'), open.rev('HEAD'));
  assert.is(git(sb, join(ws, 'secret'), 'rev-parse', 'HEAD'), secret.rev('HEAD'));
  for (const dir of [ws, sb.cache, sb.home]) assert.equal(filesContaining(dir, PASSWORD), [], dir);
});

test('over ssh: off a terminal the failure says ssh-add; on one ssh asks once on the terminal and the fetch rides on its connection', async () => {
  const tmp = join(sb.root, 'tmp');
  mkdirSync(tmp);
  const sshEnv = { ...env, ...fakeSshMaster(sb.root, 'ssh-Pw-41'), TMPDIR: tmp, TMUX: undefined };
  writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  lab:\n    git: ssh://labhost${open.dir}\n  lab2:\n    git: ssh://labhost${secret.dir}\n`);
  const off = await weft(['up'], { cwd: ws, env: sshEnv });
  assert.is(off.code, 1);
  assert.match(off.stdout, /x lab\s+failed\s+WEFT_E_GIT_AUTH/);
  assert.match(off.stdout, 'ssh-agent (ssh-add), or run "weft up lab" on a terminal');

  tmux = tmuxSession(sb.root, terminalScript('up'), sshEnv);
  await tmux.waitFor(/^labhost's password:/m);
  assert.match(tmux.screen(), 'retrying lab: git needs credentials for labhost');
  tmux.typeLine('ssh-Pw-41');
  await tmux.waitForFile(join(sb.root, 'code'));
  const screen = tmux.screen();
  assert.is(readFileSync(join(sb.root, 'code'), 'utf8').trim(), '0', screen);
  assert.is((screen.match(/password:/g) ?? []).length, 1, 'asked once for both sources');
  assert.match(screen, 'retrying lab2 over the connection opened for labhost');
  assert.is(git(sb, join(ws, 'lab'), 'rev-parse', 'HEAD'), open.rev('HEAD'));
  assert.is(git(sb, join(ws, 'lab2'), 'rev-parse', 'HEAD'), secret.rev('HEAD'));
  assert.not.match(screen, 'ssh-Pw-41');
  assert.equal(readdirSync(tmp).filter((n) => n.startsWith('weft-ssh-')), [], 'the master connection was closed and its socket dir removed');
});

test('on a terminal --no-input and CI never prompt, and the advice names which one keeps git from asking', async () => {
  tmux = tmuxSession(
    sb.root,
    `${terminalScript('up --no-input')}\ncd '${ws}' && CI=true '${process.execPath}' '${weftBin}' up; echo "CI-EXIT=$?"`,
    { ...env, TMUX: undefined },
  );
  await tmux.waitFor(/CI-EXIT=\d/);
  const screen = tmux.screen();
  assert.is(readFileSync(join(sb.root, 'code'), 'utf8').trim(), '1');
  assert.match(screen, 'CI-EXIT=1');
  assert.not.match(screen, /^Username for|retrying secret/m);
  const flat = screen.replace(/\n/g, '');
  assert.match(flat, 'run "weft up secret" without --no-input to type them');
  assert.match(flat, 'run "weft up secret" on a terminal without CI set to type them');
  assert.equal(server.authHeaders, []);
});

test('on a terminal, refused credentials fail the source with a way to try again, and are not retried in a loop', async () => {
  tmux = tmuxSession(sb.root, terminalScript('up'), { ...env, TMUX: undefined });
  await tmux.waitFor(/^Username for/m);
  tmux.typeLine(USER);
  await tmux.waitFor(/Password for/);
  tmux.typeLine('wrong-password');
  await tmux.waitForFile(join(sb.root, 'code'));
  const screen = tmux.screen();
  assert.is(readFileSync(join(sb.root, 'code'), 'utf8').trim(), '1', screen);
  assert.match(screen, /x secret\s+failed\s+WEFT_E_GIT_AUTH/);
  assert.match(screen, 'refused the credentials given');
  assert.match(screen, /\+ open\s+cloned/);
  assert.is((screen.match(/^Username for/gm) ?? []).length, 1);
  assert.not.match(screen, 'wrong-password');
  assert.ok(!execFileSync('ls', [ws], { encoding: 'utf8' }).includes('secret'), 'no half checkout left');
});

test.run();
