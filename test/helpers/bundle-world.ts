// A sprint room in miniature for bundle tests: upstreams of every kind (git repos on disk,
// an archive on a loopback HTTP server, an svn repository, an hg repository), a sender
// workspace set up from them over the "network", and an empty receiver with its own
// home and cache. goOffline() closes the server and moves every upstream away.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildTar, gzip } from './archive-builder.js';
import { isolatedEnv, weft, type WeftResult } from './cli.js';
import { git, gitSandbox, makeUpstream, richUpstream, type GitSandbox } from './git-repo.js';
import { hgEnv, makeHgRepo, type HgRepo } from './hg-repo.js';
import { serve, type TestServer } from './http-server.js';
import { makeSvnRepo, type SvnRepo } from './svn-repo.js';

export interface BundleWorld {
  sb: GitSandbox;
  sender: string;
  senderEnv: NodeJS.ProcessEnv;
  receiver: string;
  receiverEnv: NodeJS.ProcessEnv;
  server: TestServer;
  svn?: SvnRepo;
  hg?: HgRepo;
  /** Runs weft in the sender's workspace. */
  send: (...args: string[]) => Promise<WeftResult>;
  /** Runs weft in the receiver's workspace. */
  receive: (...args: string[]) => Promise<WeftResult>;
  goOffline: () => Promise<void>;
  cleanup: () => Promise<void>;
}

export interface WorldOptions {
  svn?: boolean;
  hg?: boolean;
}

const ARCHIVE = (): Buffer =>
  gzip(
    buildTar([
      { name: 'pkg-1/', type: 'dir' },
      { name: 'pkg-1/README', data: 'the package\n' },
      { name: 'pkg-1/bin/', type: 'dir' },
      { name: 'pkg-1/bin/tool', data: '#!/bin/sh\necho tool\n', mode: 0o755 },
    ]),
  );

export async function bundleWorld(opts: WorldOptions = {}): Promise<BundleWorld> {
  const sb = gitSandbox();
  const archive = ARCHIVE();
  const server = await serve({ '/pkg-1.tar.gz': { body: archive } });
  // A failure from here on must not leave the server holding the test process open.
  try {
    return await populate(sb, server, archive, opts);
  } catch (err) {
    await server.close();
    sb.cleanup();
    throw err;
  }
}

async function populate(sb: GitSandbox, server: TestServer, archive: Buffer, opts: WorldOptions): Promise<BundleWorld> {
  const app = richUpstream(sb, 'app');
  const other = makeUpstream(sb, 'other');
  other.commit('second', { 'src/lib.txt': 'lib\n' });
  other.tag('v2', true);
  other.commit('third', { 'src/lib.txt': 'lib 3\n' });
  const integrity = `sha256-${createHash('sha256').update(archive).digest('base64')}`;
  if (opts.svn) mkdirSync(join(sb.root, 'svn'));
  const svn = opts.svn ? makeSvnRepo(join(sb.root, 'svn'), sb.env) : undefined;
  svn?.commit({ 'guide.txt': 'read me\n', 'tools/run.sh': '#!/bin/sh\n' });
  const hg = opts.hg ? makeHgRepo(join(sb.root, 'hg-up'), sb.env) : undefined;
  hg?.commit({ 'notes.txt': 'one\n' }, 'one');
  hg?.commit({ 'notes.txt': 'two\n', 'more/x.txt': 'x\n' }, 'two');

  const lines = [
    'weft: 1',
    'name: sprint-demo',
    'sources:',
    '  app:',
    `    git: ${app.dir}`,
    '  devline:',
    `    git: ${app.dir}`,
    '    ref: dev',
    '  tagged:',
    `    git: ${other.dir}`,
    '    ref: v2',
    '  pkg:',
    `    archive: ${server.url}/pkg-1.tar.gz`,
    `    integrity: ${integrity}`,
    '    strip: 1',
  ];
  if (svn) lines.push('  docs:', `    svn: ${svn.trunk}`);
  if (hg) lines.push('  notes:', `    hg: ${hg.path}`);
  writeFileSync(join(sb.workspace, 'weft.yaml'), lines.join('\n') + '\n');

  const senderEnv = isolatedEnv(join(sb.root, 'sender-home'), hg ? hgEnv({}) : {});
  const receiverRoot = join(sb.root, 'receiver-home');
  const receiverEnv = isolatedEnv(receiverRoot, hg ? hgEnv({}) : {});
  const receiver = join(sb.root, 'receiver');
  mkdirSync(receiver);
  let offline = false;
  return {
    sb,
    sender: sb.workspace,
    senderEnv,
    receiver,
    receiverEnv,
    server,
    svn,
    hg,
    send: (...args) => weft(args, { cwd: sb.workspace, env: senderEnv }),
    receive: (...args) => weft(args, { cwd: receiver, env: receiverEnv }),
    async goOffline() {
      if (offline) return;
      offline = true;
      await server.close();
      renameSync(join(sb.root, 'upstream'), join(sb.root, 'upstream.away'));
      if (svn) renameSync(join(sb.root, 'svn'), join(sb.root, 'svn.away'));
      if (hg) renameSync(hg.path, `${hg.path}.away`);
    },
    async cleanup() {
      if (!offline) await server.close();
      sb.cleanup();
    },
  };
}

/** Every file under `dir` (minus VCS metadata) → sha256 and whether it is executable. */
export function treeOf(dir: string, skip: string[] = ['.git', '.hg', '.svn', '.weft-archive']): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (skip.includes(name)) continue;
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.mode & 0o111 ? 'x' : '-'}`;
    }
  };
  walk(dir);
  return out;
}

/** What makes two git checkouts the same for a user: commit, branch, origin, tracked files. */
export function gitFacts(sb: GitSandbox, dir: string): Record<string, string> {
  const g = (...args: string[]): string => {
    try {
      return git(sb, dir, ...args);
    } catch {
      return '';
    }
  };
  return {
    head: g('rev-parse', 'HEAD'),
    branch: g('symbolic-ref', '--quiet', 'HEAD'),
    upstream: g('rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'),
    origin: g('remote', 'get-url', 'origin'),
    tree: g('ls-tree', '-r', 'HEAD'),
    status: g('status', '--porcelain'),
  };
}

export function hgNode(dir: string, env: NodeJS.ProcessEnv): string {
  return execFileSync('hg', ['-R', dir, 'log', '-r', '.', '-T', '{node}'], { env: hgEnv(env), encoding: 'utf8' });
}

/** Files and directories directly under `dir`, or [] when it does not exist. */
export function listing(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
