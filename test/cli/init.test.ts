import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { command, init } from '../../src/cli/init.js';
import type { CommandContext, ParsedArgs } from '../../src/cli/command.js';
import type { WeftError } from '../../src/errors.js';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

function makeCtx(cwd: string, over: Partial<CommandContext> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    cwd,
    vars: {},
    json: false,
    quiet: false,
    verbose: false,
    color: false,
    env: {},
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t), isTTY: false },
    ...over,
  };
  return { ctx, stdout: () => out.join(''), stderr: () => err.join('') };
}

const args = (values: ParsedArgs['values'] = {}): ParsedArgs => ({ values, positionals: [], rest: [] });

async function failure(p: Promise<unknown>): Promise<WeftError> {
  try {
    await p;
  } catch (err) {
    return err as WeftError;
  }
  throw new Error('expected weft init to fail');
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

test("weft init with weft installed in the project's node_modules (or a monorepo's above it) writes a relative schema reference, which works for everyone who installs the project", async () => {
  const t = tempDir();
  try {
    // weft as a dependency of the project at t.dir (its node_modules), the real templates.
    const schemaFile = join(t.dir, 'node_modules', 'weft', 'schema', 'weft.schema.json');
    mkdirSync(join(schemaFile, '..'), { recursive: true });
    copyFileSync(join(repoRoot, 'schema', 'weft.schema.json'), schemaFile);
    const assets = { templatesDir: join(repoRoot, 'templates'), schemaFile };
    mkdirSync(join(t.dir, 'packages', 'app'), { recursive: true });
    for (const [dir, ref] of [[t.dir, './node_modules/weft/schema/weft.schema.json'], [join(t.dir, 'packages', 'app'), '../../node_modules/weft/schema/weft.schema.json']] as const) {
      assert.is(await init(makeCtx(dir).ctx, { assets }), 0);
      const first = readFileSync(join(dir, 'weft.yaml'), 'utf8').split('\n')[0]!;
      assert.is(first, `# yaml-language-server: $schema=${ref}`);
      assert.ok(existsSync(join(dir, ref)), `${ref} resolves from ${dir}`);
    }
  } finally {
    t.cleanup();
  }
});

test('weft init writes the default starter with a schema reference to the installed schema file', async () => {
  const t = tempDir();
  try {
    const { ctx, stdout } = makeCtx(t.dir);
    assert.is(await command.run(ctx, args()), 0);
    const text = readFileSync(join(t.dir, 'weft.yaml'), 'utf8');
    const first = text.split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(file:\/\/\S+)$/.exec(first);
    assert.ok(m, first);
    assert.ok(existsSync(fileURLToPath(m![1]!)), 'the schema URL points at a real file');
    assert.is(fileURLToPath(m![1]!), join(repoRoot, 'schema', 'weft.schema.json'));
    const rest = text.split('\n').slice(1).join('\n');
    assert.is(rest, readFileSync(join(repoRoot, 'templates', 'weft.yaml'), 'utf8').split('\n').slice(1).join('\n'));
    assert.equal(parse(text), { weft: 1, sources: {} });
    assert.match(stdout(), /wrote weft\.yaml/);
  } finally {
    t.cleanup();
  }
});

test('weft init creates .gitignore with weft.local.yaml, .weft/ and .weft-branches/, and adds them only once', async () => {
  const t = tempDir();
  try {
    const { ctx } = makeCtx(t.dir);
    await command.run(ctx, args());
    const gi = join(t.dir, '.gitignore');
    const once = readFileSync(gi, 'utf8');
    assert.is(once, '# weft: personal overrides, workspace state, branch checkouts\nweft.local.yaml\n.weft/\n.weft-branches/\n');
    await command.run(ctx, args({ force: true }));
    assert.is(readFileSync(gi, 'utf8'), once);
  } finally {
    t.cleanup();
  }
});

test('an existing .gitignore keeps its content and line endings; only missing lines are added', async () => {
  const t = tempDir();
  try {
    const gi = join(t.dir, '.gitignore');
    writeFileSync(gi, 'node_modules/\r\n/.weft\r\n*.log');
    const { ctx, stdout } = makeCtx(t.dir);
    await command.run(ctx, args());
    assert.is(readFileSync(gi, 'utf8'), 'node_modules/\r\n/.weft\r\n*.log\r\n\r\n# weft: personal overrides, workspace state, branch checkouts\r\nweft.local.yaml\r\n.weft-branches/\r\n');
    assert.match(stdout(), /\.gitignore: added weft\.local\.yaml, \.weft-branches\/\n/);
  } finally {
    t.cleanup();
  }
});

test('a symlinked .gitignore stays a symlink and its target gets the lines', async () => {
  const t = tempDir();
  try {
    const { mkdirSync, symlinkSync, lstatSync } = await import('node:fs');
    mkdirSync(join(t.dir, 'dotfiles'));
    mkdirSync(join(t.dir, 'proj'));
    writeFileSync(join(t.dir, 'dotfiles', 'gitignore'), '*.o\n');
    symlinkSync('../dotfiles/gitignore', join(t.dir, 'proj', '.gitignore'));
    const { ctx } = makeCtx(join(t.dir, 'proj'));
    await command.run(ctx, args());
    assert.ok(lstatSync(join(t.dir, 'proj', '.gitignore')).isSymbolicLink());
    assert.match(readFileSync(join(t.dir, 'dotfiles', 'gitignore'), 'utf8'), /^\*\.o\n\n# weft: .*\nweft\.local\.yaml\n\.weft\/\n\.weft-branches\/\n$/);
  } finally {
    t.cleanup();
  }
});

test('weft init refuses to replace an existing weft.yaml and writes nothing', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'weft.yaml'), 'weft: 1\nsources: {mine: {local: .}}\n');
    const { ctx } = makeCtx(t.dir);
    const e = await failure(command.run(ctx, args()));
    assert.is(e.code, 'WEFT_E_INIT_EXISTS');
    assert.is(e.exitCode, 2);
    assert.match(e.hint ?? '', /--force/);
    assert.is(readFileSync(join(t.dir, 'weft.yaml'), 'utf8'), 'weft: 1\nsources: {mine: {local: .}}\n');
    assert.equal(readdirSync(t.dir), ['weft.yaml']);
  } finally {
    t.cleanup();
  }
});

test('--force replaces an existing weft.yaml', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'weft.yaml'), 'old\n');
    const { ctx } = makeCtx(t.dir);
    assert.is(await command.run(ctx, args({ force: true })), 0);
    assert.equal(parse(readFileSync(join(t.dir, 'weft.yaml'), 'utf8')), { weft: 1, sources: {} });
    assert.equal(readdirSync(t.dir).sort(), ['.gitignore', 'weft.yaml'], 'no temp files left behind');
  } finally {
    t.cleanup();
  }
});

test('a weft.yml counts as the manifest: init refuses to put a weft.yaml beside it, and --force replaces it under its own name', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'weft.yml'), 'weft: 1\nname: real\nsources: {mine: {local: .}}\n');
    const { ctx } = makeCtx(t.dir);
    const e = await failure(command.run(ctx, args()));
    assert.is(e.code, 'WEFT_E_INIT_EXISTS');
    assert.match(e.message, 'weft.yml');
    assert.equal(readdirSync(t.dir), ['weft.yml'], 'no weft.yaml to shadow it');
    assert.is(await command.run(makeCtx(t.dir).ctx, args({ force: true })), 0);
    assert.equal(parse(readFileSync(join(t.dir, 'weft.yml'), 'utf8')), { weft: 1, sources: {} });
    assert.equal(readdirSync(t.dir).sort(), ['.gitignore', 'weft.yml']);
  } finally {
    t.cleanup();
  }
});

test('--template python writes the Python starter', async () => {
  const t = tempDir();
  try {
    const { ctx } = makeCtx(t.dir);
    await command.run(ctx, args({ template: 'python' }));
    const m = parse(readFileSync(join(t.dir, 'weft.yaml'), 'utf8')) as { env: Record<string, string> };
    assert.is(m.env['PYTHONPATH'], 'src');
  } finally {
    t.cleanup();
  }
});

test('an unknown template is a usage error that lists the templates, and nothing is written', async () => {
  const t = tempDir();
  try {
    const { ctx } = makeCtx(t.dir);
    const e = await failure(command.run(ctx, args({ template: 'pyhton' })));
    assert.is(e.code, 'WEFT_E_USAGE');
    assert.is(e.exitCode, 2);
    assert.match(e.hint ?? '', /did you mean "python"\?/);
    assert.match(e.hint ?? '', /templates: default, node, python/);
    assert.equal(readdirSync(t.dir), []);
  } finally {
    t.cleanup();
  }
});

test('--from west.yml writes the converted manifest and reports what was not carried over with line numbers', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'west.yml'), readFileSync(join(repoRoot, 'test/fixtures/convert/west.yml')));
    const { ctx, stdout, stderr } = makeCtx(t.dir);
    assert.is(await command.run(ctx, args({ from: 'west.yml' })), 0);
    const text = readFileSync(join(t.dir, 'weft.yaml'), 'utf8');
    assert.match(text.split('\n')[0]!, /^# yaml-language-server: \$schema=file:\/\//);
    const m = parse(text) as { weft: number; sources: Record<string, { git: string; ref: string }> };
    assert.is(m.weft, 1);
    assert.equal(Object.keys(m.sources), ['cmsis', 'hal_nordic', 'net-tools', 'babblesim_base', 'trusted-firmware-m', 'mcuboot', 'nrf']);
    assert.is(m.sources['nrf']?.ref, 'master');
    const lines = stderr().trimEnd().split('\n');
    assert.is(lines.length, 7);
    assert.is(lines[0], 'weft: west.yml:14: note: "group-filter" not carried over: choose groups when running weft instead');
    assert.ok(lines.every((l) => /^weft: west\.yml:\d+: note: /.test(l)), stderr());
    assert.match(stdout(), /wrote weft\.yaml \(7 sources from west\.yml\)/);
  } finally {
    t.cleanup();
  }
});

test('--from .gitmodules --remote resolves relative submodule URLs', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, '.gitmodules'), readFileSync(join(repoRoot, 'test/fixtures/convert/gitmodules')));
    const { ctx } = makeCtx(t.dir);
    await command.run(ctx, args({ from: '.gitmodules', remote: 'git@github.com:acme/app.git' }));
    const m = parse(readFileSync(join(t.dir, 'weft.yaml'), 'utf8')) as { sources: Record<string, { git: string }> };
    assert.is(m.sources['libfoo']?.git, 'git@github.com:acme/libfoo.git');
  } finally {
    t.cleanup();
  }
});

test('an invalid input file fails with its code and line:column, and nothing is written', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'deps.repos'), 'repositories:\n  a:\n    type: git\n    url: https://h/a.git\n  b: [\n');
    const { ctx } = makeCtx(t.dir);
    const e = await failure(command.run(ctx, args({ from: 'deps.repos' })));
    assert.is(e.code, 'WEFT_E_CONVERT_PARSE');
    assert.is(e.exitCode, 2);
    assert.is(e.loc?.file, join(t.dir, 'deps.repos'));
    assert.ok(e.loc!.line >= 5 && e.loc!.col >= 1, JSON.stringify(e.loc));
    assert.equal(readdirSync(t.dir), ['deps.repos']);
  } finally {
    t.cleanup();
  }
});

test('a missing --from file is a usage error and nothing is written', async () => {
  const t = tempDir();
  try {
    const { ctx } = makeCtx(t.dir);
    const e = await failure(command.run(ctx, args({ from: 'nope.repos' })));
    assert.is(e.code, 'WEFT_E_CONVERT_READ');
    assert.is(e.exitCode, 2);
    assert.equal(readdirSync(t.dir), []);
  } finally {
    t.cleanup();
  }
});

test('--template and --from together are refused', async () => {
  const t = tempDir();
  try {
    const { ctx } = makeCtx(t.dir);
    const e = await failure(command.run(ctx, args({ template: 'python', from: 'x.repos' })));
    assert.is(e.code, 'WEFT_E_USAGE');
    assert.equal(readdirSync(t.dir), []);
  } finally {
    t.cleanup();
  }
});

test('--json prints what was written, with the notes', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'src.repos'), 'repositories:\n  a: {type: git, url: https://h/a.git}\n  b: {type: zip, url: https://h/b.zip}\n');
    const { ctx, stdout } = makeCtx(t.dir, { json: true });
    await command.run(ctx, args({ from: 'src.repos' }));
    const out = JSON.parse(stdout()) as { manifest: string; from: { format: string }; gitignore: string[]; notes: Array<{ line: number }> };
    assert.is(out.manifest, join(t.dir, 'weft.yaml'));
    assert.is(out.from.format, 'vcstool');
    assert.equal(out.gitignore, ['weft.local.yaml', '.weft/', '.weft-branches/']);
    assert.equal(out.notes.map((n) => n.line), [3]);
  } finally {
    t.cleanup();
  }
});

test('--manifest names the file to write, and .gitignore goes beside it', async () => {
  const t = tempDir();
  try {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(t.dir, 'sub'));
    const { ctx } = makeCtx(t.dir, { manifest: 'sub/lab.weft.yaml' });
    await command.run(ctx, args());
    assert.equal(readdirSync(join(t.dir, 'sub')).sort(), ['.gitignore', 'lab.weft.yaml']);
    assert.equal(readdirSync(t.dir), ['sub']);
  } finally {
    t.cleanup();
  }
});

test('the "next:" line gives a weft up that finds the new manifest from where weft init ran', async () => {
  const t = tempDir();
  try {
    const env = isolatedEnv(t.dir);
    mkdirSync(join(t.dir, 'sub'));
    const named = await weft(['--manifest', 'sub/lab.yaml', 'init'], { cwd: t.dir, env });
    const lab = join(t.dir, 'sub', 'lab.yaml');
    assert.match(named.stdout, `next: edit it, then run weft --manifest '${lab}' up\n`);
    assert.is((await weft(['--manifest', lab, 'up'], { cwd: t.dir, env })).code, 0);
    mkdirSync(join(t.dir, 'other'));
    const elsewhere = await weft(['-C', 'other', 'init'], { cwd: t.dir, env });
    assert.match(elsewhere.stdout, `next: edit it, then run weft -C '${join(t.dir, 'other')}' up\n`);
    const here = await weft(['init'], { cwd: join(t.dir, 'sub'), env });
    assert.match(here.stdout, 'next: edit it, then run weft up\n');
  } finally {
    t.cleanup();
  }
});

test('a --manifest that names a directory, or a file in a directory that does not exist or is a file, is a usage error and nothing is written', async () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.dir, 'adir'));
    writeFileSync(join(t.dir, 'afile'), 'mine\n');
    const cases: Array<[string, boolean, RegExp]> = [
      ['nodir/weft.yaml', false, /nodir does not exist/],
      ['afile/weft.yaml', false, /afile is not a directory/],
      ['adir', false, /adir is a directory/],
      ['adir', true, /adir is a directory/],
    ];
    for (const [manifest, force, why] of cases) {
      const { ctx } = makeCtx(t.dir, { manifest });
      const e = await failure(command.run(ctx, args({ force })));
      assert.is(e.code, 'WEFT_E_USAGE', `${manifest}: ${e.message}`);
      assert.is(e.exitCode, 2);
      assert.match(e.message, why);
      assert.ok(e.hint, 'a hint says what to do');
    }
    assert.equal(readdirSync(t.dir).sort(), ['adir', 'afile']);
    assert.equal(readdirSync(join(t.dir, 'adir')), []);
    assert.is(readFileSync(join(t.dir, 'afile'), 'utf8'), 'mine\n');
  } finally {
    t.cleanup();
  }
});


test('weft up right after weft init converges the empty workspace (exit 0, env files written); skipping every source of a manifest that has some is still a usage error', async () => {
  const t = tempDir();
  try {
    const env = isolatedEnv(t.dir);
    assert.is((await weft(['init'], { cwd: t.dir, env })).code, 0);
    const up = await weft(['up'], { cwd: t.dir, env });
    assert.is(up.code, 0, up.stderr);
    assert.match(up.stdout, '0 sources: nothing to do');
    assert.ok(existsSync(join(t.dir, '.weft', 'env', 'bash')), 'env files written');
    const shown = await weft(['env'], { cwd: t.dir, env });
    assert.is(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, `WEFT_WORKSPACE='${t.dir}'`);

    mkdirSync(join(t.dir, 'lib'));
    writeFileSync(join(t.dir, 'weft.yaml'), 'weft: 1\nsources:\n  lib:\n    local: ./lib\n');
    const skipped = await weft(['up', '--skip', 'lib'], { cwd: t.dir, env });
    assert.is(skipped.code, 2);
    assert.match(skipped.stderr, 'no source left to act on after --skip');
  } finally {
    t.cleanup();
  }
});

test.run();
