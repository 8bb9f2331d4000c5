// The completion scripts, loaded in real bash, zsh and fish, complete weft's commands, each
// command's flags (from the command specs) and the manifest's source names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { commands } from '../../src/cli/registry.js';

const tmp = tempDir('weft-completion-');
test.after(() => tmp.cleanup());
const ws = join(tmp.dir, 'ws');
const elsewhere = join(tmp.dir, 'elsewhere');
const bin = join(tmp.dir, 'bin');
for (const d of [ws, elsewhere, bin]) mkdirSync(d, { recursive: true });
writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\ninclude: [./base.weft.yaml]\nsources:\n  alpha: { local: ./a }\n  beta-2.x: { local: ./b }\n');
writeFileSync(join(ws, 'base.weft.yaml'), 'weft: 1\nsources:\n  gamma: { local: ./g }\n');
writeFileSync(join(ws, 'weft.local.yaml'), 'sources:\n  delta: { local: ../d }\n');
// The scripts call `weft` from PATH, as they would for a user.
writeFileSync(join(bin, 'weft'), `#!/bin/sh\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
chmodSync(join(bin, 'weft'), 0o755);

const env = () => ({ ...(isolatedEnv(tmp.dir) as Record<string, string>), PATH: `${bin}:/usr/bin:/bin` });
const scripts: Record<string, string> = {};

test.before(async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await weft(['completion', shell], { cwd: ws, env: env() });
    assert.is(r.code, 0, r.stderr);
    scripts[shell] = join(tmp.dir, `completion.${shell}`);
    writeFileSync(scripts[shell]!, r.stdout);
  }
});

function sh(argv: string[], script: string, cwd = ws): string {
  const r = spawnSync(argv[0]!, [...argv.slice(1), script], { cwd, env: env(), encoding: 'utf8' });
  assert.is(r.stderr, '', `${argv[0]} stderr`);
  assert.is(r.status, 0);
  return r.stdout;
}

// Candidates for a command line whose last word is being completed.
function bash(line: string[], cwd = ws): string[] {
  const words = line.map((w) => `'${w}'`).join(' ');
  const out = sh(['bash', '--norc', '--noprofile', '-c'], `source '${scripts.bash}'\nCOMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}\n_weft\nprintf '%s\\n' "\${COMPREPLY[@]}"`, cwd);
  return out.split('\n').filter(Boolean);
}
function zsh(line: string[], cwd = ws): string[] {
  const words = line.map((w) => `'${w}'`).join(' ');
  const zdot = join(tmp.dir, 'zdot');
  mkdirSync(zdot, { recursive: true });
  const script = [
    `ZDOTDIR='${zdot}'`,
    `autoload -Uz compinit && compinit -u -d '${zdot}/.zcompdump'`,
    `eval "$(<'${scripts.zsh}')"`,
    '[[ $_comps[weft] == _weft ]] || print -u2 "compdef did not register _weft"',
    // compadd only works inside a completion widget: a stub records what _weft adds, keeping
    // (as compadd does) those that match the word being completed.
    'compadd() { local -a a; a=("$@"); local c p=${words[CURRENT]}; for c in "${(@)a[${a[(i)--]}+1,-1]}"; do [[ ${c[1,${#p}]} == "$p" ]] && print -r -- "$c"; done; return 0 }',
    `words=(${words}); CURRENT=${line.length}`,
    '_weft',
  ].join('\n');
  return sh(['zsh', '-f', '-c'], script, cwd).split('\n').filter(Boolean);
}
function fish(line: string, cwd = ws): string[] {
  const out = sh(['fish', '--no-config', '-c'], `source '${scripts.fish}'\ncomplete -C ${JSON.stringify(line)}`, cwd);
  return out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
}

const visible = commands.map((c) => c.name);
const SOURCES = ['alpha', 'beta-2.x', 'gamma', 'delta'];

const complete: Record<string, (line: string[], cwd?: string) => string[]> = {
  bash,
  zsh,
  fish: (line, cwd) => fish(line.join(' '), cwd),
};

for (const [shell, run] of Object.entries(complete)) {
  test(`${shell}: the first word completes every command and never the hidden __complete`, () => {
    const got = run(['weft', '']);
    for (const c of visible) assert.ok(got.includes(c), `${c} missing from ${got.join(' ')}`);
    assert.ok(!got.some((w) => w.startsWith('__')));
    assert.equal(run(['weft', 'com']), ['completion']);
  });

  test(`${shell}: a command's flags come from its spec, with the global ones`, () => {
    const up = run(['weft', 'up', '--']);
    for (const f of ['--dry-run', '--jobs', '--offline', '--skip', '--frozen', '--json', '--directory']) assert.ok(up.includes(f), `${f} missing`);
    assert.ok(!up.includes('--unset'), 'env flag offered for up');
    const env = run(['weft', 'env', '--']);
    for (const f of ['--shell', '--unset', '--dotenv']) assert.ok(env.includes(f), `${f} missing`);
  });

  test(`${shell}: source names from the manifest, its includes and weft.local.yaml follow commands taking NAMEs`, () => {
    for (const cmd of ['up', 'update', 'why', 'which']) assert.equal([...run(['weft', cmd, ''])].sort(), [...SOURCES].sort(), cmd);
    assert.equal(run(['weft', 'up', 'be']), ['beta-2.x']);
    assert.equal([...run(['weft', 'up', '--skip', ''])].sort(), [...SOURCES].sort());
  });

  test(`${shell}: -C DIR on the line is where source names are read, from anywhere`, () => {
    assert.equal([...run(['weft', '-C', ws, 'up', ''], elsewhere)].sort(), [...SOURCES].sort());
    assert.equal(run(['weft', 'up', ''], elsewhere), []);
  });

  test(`${shell}: option values and positionals that are not sources`, () => {
    const shells = run(['weft', 'env', '--shell', '']);
    for (const s of ['bash', 'fish', 'tcsh', 'elvish', 'pwsh', 'nu', 'cmd']) assert.ok(shells.includes(s), s);
    assert.equal([...run(['weft', 'completion', ''])].sort(), ['bash', 'fish', 'zsh']);
    assert.ok(run(['weft', 'help', '']).includes('status'));
    assert.equal(run(['weft', 'status', '']), []);
  });
}

test('bash: -C completes directories, --manifest files, and run -- completes commands', () => {
  mkdirSync(join(ws, 'sub dir'), { recursive: true });
  assert.equal(bash(['weft', '-C', 'sub']), ['sub dir']);
  assert.equal(bash(['weft', '--manifest', 'base.']), ['base.weft.yaml']);
  assert.ok(bash(['weft', 'run', '--', 'bas']).includes('bash'));
});

test('bash: the script registers _weft for weft', () => {
  assert.is(sh(['bash', '--norc', '--noprofile', '-c'], `source '${scripts.bash}'\ncomplete -p weft`), 'complete -F _weft weft\n');
});

test('weft __complete sources prints the names, and nothing (exit 0) outside a workspace', async () => {
  const r = await weft(['__complete', 'sources'], { cwd: ws, env: env() });
  assert.is(r.code, 0);
  assert.is(r.stdout, 'alpha\nbeta-2.x\ngamma\ndelta\n');
  const none = await weft(['__complete', 'sources'], { cwd: elsewhere, env: env() });
  assert.is(none.code, 0);
  assert.is(none.stdout, '');
  assert.is(none.stderr, '');
});

test('weft completion with an unknown shell is a usage error naming the three', async () => {
  const r = await weft(['completion', 'tcsh'], { cwd: ws, env: env() });
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /weft completion bash, weft completion zsh, weft completion fish/);
});

test.run();
