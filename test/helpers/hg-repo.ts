// A real Mercurial repository for tests: `hg init` and commits, tags and named branches made
// with hg itself, ignoring any user config.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface HgRepo {
  path: string;
  /** Writes files in the working directory and commits them; returns the full changeset id. */
  commit(files: Record<string, string>, message?: string): string;
  /** Tags the working directory's changeset (hg commits .hgtags for it); returns the tagged id. */
  tag(name: string): string;
  /** Starts a named branch: the next commit goes on it. */
  branch(name: string): void;
  update(rev: string): void;
  /** Runs any hg command in the repository; returns stdout. */
  hg(...args: string[]): string;
}

export function hgEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, HGPLAIN: '1', HGRCPATH: '', HGUSER: 'weft test <test@example.org>' };
}

export function makeHgRepo(path: string, env: NodeJS.ProcessEnv): HgRepo {
  mkdirSync(path, { recursive: true });
  execFileSync('hg', ['init', path], { env: hgEnv(env), stdio: 'ignore' });
  return openHgRepo(path, env);
}

/** The same handle on an existing repository (e.g. a clone weft made, to commit in it). */
export function openHgRepo(path: string, env: NodeJS.ProcessEnv): HgRepo {
  const e = hgEnv(env);
  const hg = (...args: string[]): string =>
    execFileSync('hg', ['--cwd', path, ...args], { env: e, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const node = (): string => hg('log', '-r', '.', '-T', '{node}');
  return {
    path,
    commit(files, message = 'change') {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(path, file)), { recursive: true });
        writeFileSync(join(path, file), text);
      }
      hg('addremove', '-q');
      hg('commit', '-m', message);
      return node();
    },
    tag(name) {
      const tagged = node();
      hg('tag', '-r', tagged, name);
      return tagged;
    },
    branch(name) {
      hg('branch', '-q', name);
    },
    update(rev) {
      hg('update', '-q', '-r', rev);
    },
    hg,
  };
}
