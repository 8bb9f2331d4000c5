// Real git repositories for fetch tests: an isolated HOME (no user config leaks in), a
// cache dir, a workspace, and upstream repos with history, branches and tags.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GitSource, LocalSource, Plan, Source } from '../../src/types.js';
import { tempDir } from './tmp.js';

export interface GitSandbox {
  root: string;
  home: string;
  cache: string;
  workspace: string;
  /** The environment weft and the helpers run git with. */
  env: NodeJS.ProcessEnv;
  cleanup: () => void;
}

export function gitSandbox(): GitSandbox {
  const { dir, cleanup } = tempDir('weft-fetch-');
  const home = join(dir, 'home');
  const cache = join(dir, 'cache');
  const workspace = join(dir, 'ws');
  mkdirSync(home);
  mkdirSync(workspace);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Weft Test',
    GIT_AUTHOR_EMAIL: 'test@weft.invalid',
    GIT_COMMITTER_NAME: 'Weft Test',
    GIT_COMMITTER_EMAIL: 'test@weft.invalid',
    WEFT_CACHE_DIR: cache,
    LANG: 'C',
  };
  return { root: dir, home, cache, workspace, env, cleanup };
}

/** Runs git synchronously in `cwd` with the sandbox's environment; returns trimmed stdout. */
export function git(sb: GitSandbox, cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: sb.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface Upstream {
  dir: string;
  /** Commit `files` on the current branch; returns the new commit id. */
  commit(message: string, files: Record<string, string>): string;
  /** Switches the upstream's working tree to `name` (creating it when asked). */
  checkout(name: string, create?: boolean): void;
  tag(name: string, annotated?: boolean): void;
  rev(ref: string): string;
}

/** A non-bare upstream repository at `<root>/upstream/<name>` with one commit on main. */
export function makeUpstream(sb: GitSandbox, name: string): Upstream {
  const dir = join(sb.root, 'upstream', name);
  mkdirSync(dir, { recursive: true });
  git(sb, dir, 'init', '--quiet');
  // Pushing into a non-bare upstream is not needed; tests commit in it directly.
  const up: Upstream = {
    dir,
    commit(message, files) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      git(sb, dir, 'add', '--all');
      git(sb, dir, 'commit', '--quiet', '-m', message);
      return up.rev('HEAD');
    },
    checkout(branch, create = false) {
      git(sb, dir, 'checkout', '--quiet', ...(create ? ['-b'] : []), branch);
    },
    tag(tagName, annotated = false) {
      git(sb, dir, 'tag', ...(annotated ? ['-a', '-m', tagName] : []), tagName);
    },
    rev(ref) {
      return git(sb, dir, 'rev-parse', `${ref}^{commit}`);
    },
  };
  up.commit('first', { 'README': `${name} 1\n` });
  return up;
}

/** An upstream with main (3 commits), a `dev` branch, a lightweight tag v1 and annotated v2. */
export function richUpstream(sb: GitSandbox, name: string): Upstream & { c1: string; c2: string; c3: string; d1: string } {
  const up = makeUpstream(sb, name);
  const c1 = up.rev('HEAD');
  up.tag('v1');
  const c2 = up.commit('second', { 'README': `${name} 2\n`, 'src/a.txt': 'a\n' });
  up.tag('v2', true);
  const c3 = up.commit('third', { 'README': `${name} 3\n` });
  up.checkout('dev', true);
  const d1 = up.commit('dev work', { 'dev.txt': 'dev\n' });
  up.checkout('main');
  return Object.assign(up, { c1, c2, c3, d1 });
}

export function gitSource(sb: GitSandbox, name: string, fields: Partial<GitSource> & { url: string }): GitSource {
  const path = fields.path ?? name;
  return {
    type: 'git',
    name,
    path,
    dir: join(sb.workspace, path),
    depends: [],
    groups: [],
    env: [],
    setup: [],
    loc: { file: join(sb.workspace, 'weft.yaml'), line: 1, col: 1 },
    submodules: false,
    ...fields,
  };
}

export function localSource(sb: GitSandbox, name: string, dir: string): LocalSource {
  return {
    type: 'local',
    name,
    path: dir,
    dir,
    depends: [],
    groups: [],
    env: [],
    setup: [],
    loc: { file: join(sb.workspace, 'weft.yaml'), line: 1, col: 1 },
  };
}

export function makePlan(workspace: string, sources: Source[]): Plan {
  return {
    name: 'test',
    manifest: join(workspace, 'weft.yaml'),
    workspace,
    root: workspace,
    sources,
    envOrder: sources.map((s) => s.name),
    env: [],
    requires: {},
    mirrors: {},
    imports: [],
    files: [join(workspace, 'weft.yaml')],
  };
}

/** The pack file of a repository packed into one (`gitDir`: a bare repository or a .git). */
export function packOf(gitDir: string): string {
  const dir = join(gitDir, 'objects', 'pack');
  const name = readdirSync(dir).find((f) => f.endsWith('.pack'));
  if (!name) throw new Error(`${gitDir} has no pack`);
  return join(dir, name);
}

/** Cuts a repository's pack to half its size, as a full disk or a partial copy leaves one. */
export function cutPack(gitDir: string): void {
  const p = packOf(gitDir);
  truncateSync(p, Math.floor(statSync(p).size / 2));
}
