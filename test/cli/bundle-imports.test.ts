// A workspace that imports a manifest from one of its sources: the bundle sets it up with
// the network gone, with the checkouts the network gives (the imported manifest comes with
// its source's checkout, it is not written ahead of it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, extract, list } from 'tar';
import { gitFacts } from '../helpers/bundle-world.js';
import { isolatedEnv, weft, type WeftResult } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';

function ok(r: WeftResult, what: string): void {
  assert.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

interface Sent {
  sb: GitSandbox;
  file: string;
  /** A fresh, empty directory with its own home and cache, run in with `receive`. */
  receiver: (name: string) => { dir: string; receive: (...args: string[]) => Promise<WeftResult> };
}

/** A sender whose `proj` provides weft.yaml (defining `dep`), set up and bundled; then offline. */
async function sent(): Promise<Sent> {
  const sb = gitSandbox();
  const dep = makeUpstream(sb, 'dep');
  const proj = makeUpstream(sb, 'proj');
  proj.commit('manifest', { 'weft.yaml': `weft: 1\nsources:\n  dep:\n    git: ${dep.dir}\n` });
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  proj:\n    git: ${proj.dir}\nimport:\n  - from: proj\n`);
  const env = isolatedEnv(join(sb.root, 'sender'));
  ok(await weft(['up'], { cwd: sb.workspace, env }), 'weft up (sender)');
  assert.ok(existsSync(join(sb.workspace, 'dep', '.git')), 'the import brought dep in');
  const file = join(sb.root, 'sprint.weft');
  ok(await weft(['bundle', '-o', file], { cwd: sb.workspace, env }), 'weft bundle');
  renameSync(join(sb.root, 'upstream'), join(sb.root, 'upstream.away'));
  return {
    sb,
    file,
    receiver(name) {
      const dir = join(sb.root, name, 'ws');
      mkdirSync(dir, { recursive: true });
      const renv = isolatedEnv(join(sb.root, name));
      return { dir, receive: (...args) => weft(args, { cwd: dir, env: renv }) };
    },
  };
}

function sameAsSender(s: Sent, dir: string): void {
  for (const name of ['proj', 'dep']) assert.equal(gitFacts(s.sb, join(dir, name)), gitFacts(s.sb, join(s.sb.workspace, name)), `git source ${name}`);
}

async function entriesOf(file: string): Promise<string[]> {
  const names: string[] = [];
  await list({ file, onReadEntry: (e) => void names.push(e.path) });
  return names;
}

test('weft init --from a bundle of a workspace with import: checks the importing source out, then what it imports, and later offline runs agree', async () => {
  const s = await sent();
  try {
    assert.not.ok((await entriesOf(s.file)).includes('workspace/proj/weft.yaml'), 'the imported manifest travels in proj’s own entry');
    const r = s.receiver('fresh');
    ok(await r.receive('init', '--from', s.file), 'weft init --from');
    sameAsSender(s, r.dir);
    ok(await r.receive('up', '--offline'), 'weft up --offline afterwards');
  } finally {
    s.sb.cleanup();
  }
});

test('weft up --from in a copy of such a workspace (manifest and lock) sets it up offline', async () => {
  const s = await sent();
  try {
    const r = s.receiver('copy');
    for (const f of ['weft.yaml', 'weft.lock']) copyFileSync(join(s.sb.workspace, f), join(r.dir, f));
    ok(await r.receive('up', '--from', s.file), 'weft up --from');
    sameAsSender(s, r.dir);
  } finally {
    s.sb.cleanup();
  }
});

test('a bundle that still lists the imported manifest as a workspace file (as weft bundle once made them) sets up all the same', async () => {
  const s = await sent();
  try {
    const dir = join(s.sb.root, 'old-format');
    mkdirSync(dir);
    const names: string[] = [];
    await extract({ file: s.file, cwd: dir, onReadEntry: (e) => void names.push(e.path) });
    const index = JSON.parse(readFileSync(join(dir, 'weft-bundle.json'), 'utf8')) as { workspace: string[]; entries: Record<string, { size: number; sha256: string }> };
    const entry = 'workspace/proj/weft.yaml';
    const data = readFileSync(join(s.sb.workspace, 'proj', 'weft.yaml'));
    mkdirSync(join(dir, 'workspace', 'proj'));
    writeFileSync(join(dir, entry), data);
    index.workspace.push(entry);
    index.entries[entry] = { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    writeFileSync(join(dir, 'weft-bundle.json'), JSON.stringify(index));
    const old = join(s.sb.root, 'old.weft');
    await create({ file: old, cwd: dir, portable: true, noDirRecurse: true }, [...names, entry]);

    const r = s.receiver('fresh');
    ok(await r.receive('init', '--from', old), 'weft init --from (old bundle)');
    sameAsSender(s, r.dir);
    const c = s.receiver('copy');
    for (const f of ['weft.yaml', 'weft.lock']) copyFileSync(join(s.sb.workspace, f), join(c.dir, f));
    ok(await c.receive('up', '--from', old), 'weft up --from (old bundle, a copy of the workspace)');
    sameAsSender(s, c.dir);
  } finally {
    s.sb.cleanup();
  }
});

test.run();
