// The docs are part of the product: every command and option the CLI registers, every
// manifest key the resolver knows and every error code weft can emit must be documented,
// and every example manifest in the docs must load with the real resolver. Everything is
// read from the code at test time, so a new command, key or code fails here until it is
// documented.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../../src/cli/registry.js';
import { globalOptions } from '../../src/cli/help-text.js';
import type { CommandSpec, OptionSpec } from '../../src/cli/command.js';
import * as keys from '../../src/resolve/keys.js';
import { codeText, commandText, errorCodesIn, headingAnchors, headingSection, markdownLinks, yamlBlocks } from './markdown.js';
import { checkExample, exampleManifests } from './examples.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
const docFiles = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Every spelling of an option a reader might look for: `--name` and `-s`. */
function spellings(name: string, spec: OptionSpec): string[] {
  return [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])];
}

function missingOptions(section: string, options: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(options)) {
    for (const s of spellings(name, spec)) {
      // Whole option only: `--check` must not be satisfied by `--checkout`.
      if (!new RegExp(`(^|[^A-Za-z0-9-])${s.replace(/[-]/g, '\\-')}(?![A-Za-z0-9-])`, 'm').test(section)) out.push(s);
    }
  }
  return out;
}

test('the registry has commands to check, so the checks below can fail', () => {
  assert.ok(commands.length >= 10, `only ${commands.length} commands registered`);
});

test('every registered command has a section in docs/commands.md with its usage line and every option', async () => {
  const doc = read('docs/commands.md');
  const problems: string[] = [];
  for (const entry of commands) {
    const spec = await entry.load();
    const section = headingSection(doc, `weft ${spec.name}`);
    if (section === undefined) {
      problems.push(`weft ${spec.name}: no "## weft ${spec.name}" section`);
      continue;
    }
    if (!section.includes(`weft ${spec.usage}`)) problems.push(`weft ${spec.name}: usage line "weft ${spec.usage}" (as in --help) is not in its section`);
    const missing = missingOptions(section, spec.options);
    if (missing.length) problems.push(`weft ${spec.name}: options not in its section: ${missing.join(' ')}`);
    for (const alias of entry.aliases ?? []) {
      if (!section.includes(alias)) problems.push(`weft ${spec.name}: alias ${alias} not mentioned`);
    }
  }
  assert.equal(problems, [], `\n${problems.join('\n')}`);
});

test('every "weft COMMAND" in the code of README.md and docs/*.md has a section in docs/commands.md', () => {
  const doc = read('docs/commands.md');
  const unknown = new Set<string>();
  for (const f of docFiles) {
    // `weft` as a command word: at a line start or after a shell separator, not `weft.yaml` or `weft:`.
    for (const m of commandText(read(f)).matchAll(/(?:^|[\s($`"'|;&])weft ((?:-C \S+ )?)([a-z][a-z-]*)/gm)) {
      if (headingSection(doc, `weft ${m[2]}`) === undefined) unknown.add(`${f}: weft ${m[2]}`);
    }
  }
  assert.equal([...unknown], []);
});

test('every example command line in a command\'s help is in its section of docs/commands.md as written', async () => {
  const doc = read('docs/commands.md');
  const words = (text: string) => text.replace(/\s+/g, ' ').trim();
  const missing: string[] = [];
  let checked = 0;
  for (const entry of commands) {
    const spec = await entry.load();
    const section = words(headingSection(doc, `weft ${spec.name}`) ?? '');
    for (const line of (spec.description ?? '').split('\n')) {
      if (!/^ {2}(weft|eval) /.test(line)) continue;
      checked++;
      const example = words(line.split(/\s#\s/)[0]!);
      if (!section.includes(example)) missing.push(`weft help ${spec.name}: ${example}`);
    }
  }
  assert.ok(checked > 20, `only ${checked} example lines found`);
  assert.equal(missing, [], `\n${missing.join('\n')}`);
});

test('docs/commands.md documents every global option', () => {
  const section = headingSection(read('docs/commands.md'), 'Global options');
  assert.ok(section !== undefined, 'docs/commands.md has no "Global options" section');
  assert.equal(missingOptions(section!, globalOptions), []);
});

test('every manifest key, kind, env operation and setup condition the resolver knows is in docs/manifest.md', () => {
  const code = codeText(read('docs/manifest.md'));
  const problems: string[] = [];
  let checked = 0;
  // Every exported word list of keys.ts, so a list added there is covered without editing this test.
  for (const [name, value] of Object.entries(keys)) {
    const words = Array.isArray(value) ? value : value instanceof Set ? [...value] : undefined;
    if (!words || !words.every((w): w is string => typeof w === 'string')) continue;
    for (const w of words) {
      checked++;
      const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (!new RegExp(`(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`, 'm').test(code)) problems.push(`${name}: ${w}`);
    }
  }
  assert.ok(checked > 50, `only ${checked} words found in src/resolve/keys.ts`);
  assert.equal(problems, [], `not in any code span of docs/manifest.md:\n${problems.join('\n')}`);
});

test('every WEFT_E_ code in src/ has a heading in docs/troubleshooting.md', () => {
  const codes = errorCodesIn(join(root, 'src'));
  assert.ok(codes.size > 50, `only ${codes.size} codes found in src/`);
  const doc = read('docs/troubleshooting.md');
  const headed = new Set([...doc.matchAll(/^#{2,4} .*$/gm)].flatMap((m) => [...m[0].matchAll(/WEFT_E_[A-Z0-9_]+/g)].map((c) => c[0])));
  const undocumented = [...codes].filter((c) => !headed.has(c)).sort();
  assert.equal(undocumented, [], `codes without a heading in docs/troubleshooting.md:\n${undocumented.join('\n')}`);
});

test('the example manifests are found: README and docs hold full manifests to check', () => {
  const perFile = docFiles.map((f) => [f, exampleManifests(yamlBlocks(read(f))).length] as const);
  const total = perFile.reduce((n, [, c]) => n + c, 0);
  assert.ok(total >= 10, `only ${total} example manifests: ${JSON.stringify(perFile)}`);
  assert.ok((perFile.find(([f]) => f === 'docs/manifest.md')?.[1] ?? 0) >= 5, JSON.stringify(perFile));
});

test('every example manifest in README.md and docs/*.md loads with the real resolver', async () => {
  const problems: string[] = [];
  for (const f of docFiles) {
    for (const ex of exampleManifests(yamlBlocks(read(f)))) {
      const why = await checkExample(ex);
      if (why) problems.push(`${f}:${ex.manifest.line}: ${why}`);
    }
  }
  assert.equal(problems, [], `\n${problems.join('\n\n')}`);
});

test('a broken example manifest is caught (the check above can fail)', async () => {
  const [ex] = exampleManifests(yamlBlocks('```yaml\nweft: 1\nsources:\n  a: { git: https://h/a.git, colour: red }\n```\n'));
  assert.ok(ex);
  assert.match((await checkExample(ex!)) ?? '', /WEFT_E_MANIFEST_UNKNOWN_KEY/);
});

test('every relative link in README.md and docs/*.md points at a file and heading that exist', () => {
  const broken: string[] = [];
  for (const f of docFiles) {
    const dir = join(root, f, '..');
    for (const link of markdownLinks(read(f))) {
      if (/^[a-z]+:/i.test(link)) continue;
      const [path, anchor] = link.split('#');
      const target = path ? join(dir, path) : join(root, f);
      if (!existsSync(target)) broken.push(`${f}: ${link}`);
      else if (anchor !== undefined && target.endsWith('.md') && !headingAnchors(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${f}: ${link} (no such heading)`);
      }
    }
  }
  assert.equal(broken, []);
});

test('every option a "weft …" command line in the docs, or in the comments of manifests/ and templates/, gives is one weft has', async () => {
  const specs = new Map(await Promise.all(commands.map(async (c) => [c.name, await c.load()] as const)));
  const spelled = (options: Record<string, OptionSpec>) => new Set(Object.entries(options).flatMap(([n, s]) => spellings(n, s)));
  const globals = spelled(globalOptions);
  const comments = (text: string) => text.split('\n').filter((l) => /^\s*#/.test(l)).map((l) => l.replace(/^\s*#\s?/, '')).join('\n');
  const texts = [
    ...docFiles.map((f) => [f, commandText(read(f))] as const),
    ...['manifests', 'templates'].flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.yaml')).map((f) => [`${d}/${f}`, comments(read(`${d}/${f}`))] as const)),
  ];
  const unknown: string[] = [];
  let checked = 0;
  for (const [f, text] of texts) {
    for (const m of text.matchAll(/(?:^|[\s($`"'|;&])weft((?: [^\n|;&)`#]*)?)/gm)) {
      const words = m[1]!.trim().split(/\s+/).filter(Boolean);
      let spec: CommandSpec | undefined;
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (w === '--' || (spec?.positionals === 'command' && !w.startsWith('-'))) break;
        if (!w.startsWith('-') || w === '-') {
          spec ??= specs.get(w);
          continue;
        }
        const name = w.split('=')[0]!;
        if (/^-[A-Za-z0-9]{2,}$/.test(name)) continue; // bundled short flags: not worth parsing here
        checked++;
        if (!globals.has(name) && !(spec && spelled(spec.options).has(name))) unknown.push(`${f}: weft${m[1]} (${name})`);
        if (['-C', '--directory', '--manifest', '--var'].includes(name) && !w.includes('=')) i++;
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} options found`);
  assert.equal(unknown, [], `\n${unknown.join('\n')}`);
});

test('every npm script the README tells people to run exists in package.json', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  const named = [...read('README.md').matchAll(/\bnpm (?:run ([\w:-]+)|(start|test)\b)/g)].map((m) => m[1] ?? m[2]!);
  assert.ok(named.includes('start') && named.includes('test'), `the quick start names npm start and npm test: ${named.join(' ')}`);
  assert.equal(named.filter((n) => !(n in scripts)), []);
});

test('README links to every page in docs/', () => {
  const readme = read('README.md');
  const missing = docFiles.filter((f) => f.startsWith('docs/') && !readme.includes(`(${f})`));
  assert.equal(missing, []);
});

test.run();
