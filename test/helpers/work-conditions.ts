// The kinds of work a user can have in a git checkout, for the never-lose-work matrix: each
// puts its work in place, and can prove afterwards that the work is still all there.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, type GitSandbox } from './git-repo.js';

export interface WorkCondition {
  name: string;
  /** Makes the work in `dir` (a checkout on branch main). */
  make(sb: GitSandbox, dir: string): void;
  /** Problems with the work afterwards; empty when it is all there. */
  verify(sb: GitSandbox, dir: string): string[];
}

/** Everything about a checkout that holds work: compared before and after a refused command. */
export function snapshot(sb: GitSandbox, dir: string): Record<string, string> {
  const g = (...a: string[]) => git(sb, dir, ...a);
  return {
    head: g('rev-parse', 'HEAD'),
    branch: g('rev-parse', '--abbrev-ref', 'HEAD'),
    status: g('status', '--porcelain=v1', '--untracked-files=all'),
    index: g('diff', '--cached'),
    worktree: g('diff'),
    stash: g('stash', 'list', '--format=%H %s'),
    branches: g('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
    mergeHead: existsSync(join(dir, '.git', 'MERGE_HEAD')) ? readFileSync(join(dir, '.git', 'MERGE_HEAD'), 'utf8') : '',
  };
}

const content = (dir: string, file: string, want: string): string[] => {
  const path = join(dir, file);
  if (!existsSync(path)) return [`${file} is gone`];
  const got = readFileSync(path, 'utf8');
  return got === want ? [] : [`${file} holds ${JSON.stringify(got)}, not ${JSON.stringify(want)}`];
};

export const CONDITIONS: WorkCondition[] = [
  {
    name: 'uncommitted changes',
    make: (_sb, dir) => writeFileSync(join(dir, 'README'), 'my uncommitted edit\n'),
    verify: (sb, dir) => [
      ...content(dir, 'README', 'my uncommitted edit\n'),
      ...(git(sb, dir, 'diff', '--name-only').split('\n').includes('README') ? [] : ['README is no longer modified']),
    ],
  },
  {
    name: 'untracked files',
    make: (_sb, dir) => writeFileSync(join(dir, 'notes.txt'), 'my notes\n'),
    verify: (_sb, dir) => content(dir, 'notes.txt', 'my notes\n'),
  },
  {
    name: 'staged changes',
    make: (sb, dir) => {
      writeFileSync(join(dir, 'staged.txt'), 'staged work\n');
      git(sb, dir, 'add', 'staged.txt');
    },
    verify: (sb, dir) => [
      ...content(dir, 'staged.txt', 'staged work\n'),
      ...(git(sb, dir, 'diff', '--cached', '--name-only').split('\n').includes('staged.txt') ? [] : ['staged.txt is no longer staged']),
    ],
  },
  {
    name: 'local commits on a branch',
    make: (sb, dir) => {
      writeFileSync(join(dir, 'local.txt'), 'committed locally\n');
      git(sb, dir, 'add', 'local.txt');
      git(sb, dir, 'commit', '--quiet', '-m', 'local work');
      // Remembered in a file: a tag would itself keep the commit safe and hide the risk.
      writeFileSync(join(dir, '.git', 'weft-test-local'), git(sb, dir, 'rev-parse', 'HEAD'));
    },
    verify: (sb, dir) => {
      const c = readFileSync(join(dir, '.git', 'weft-test-local'), 'utf8');
      const on = git(sb, dir, 'for-each-ref', '--contains', c, '--format=%(refname)', 'refs/heads');
      return on.includes('refs/heads/main') ? [] : [`the local commit is no longer on main (branches holding it: ${on || 'none'})`];
    },
  },
  {
    name: 'commits on a detached HEAD',
    make: (sb, dir) => {
      git(sb, dir, 'checkout', '--quiet', '--detach');
      writeFileSync(join(dir, 'detached.txt'), 'detached work\n');
      git(sb, dir, 'add', 'detached.txt');
      git(sb, dir, 'commit', '--quiet', '-m', 'detached work');
      writeFileSync(join(dir, '.git', 'weft-test-detached'), git(sb, dir, 'rev-parse', 'HEAD'));
    },
    verify: (sb, dir) => {
      const c = readFileSync(join(dir, '.git', 'weft-test-detached'), 'utf8');
      return git(sb, dir, 'rev-parse', 'HEAD') === c ? content(dir, 'detached.txt', 'detached work\n') : ['HEAD left the detached commit, which is on no branch'];
    },
  },
  {
    name: 'a stash',
    make: (sb, dir) => {
      writeFileSync(join(dir, 'README'), 'stashed edit\n');
      git(sb, dir, 'stash', '--quiet');
    },
    verify: (sb, dir) => {
      const list = git(sb, dir, 'stash', 'list');
      if (list.split('\n').filter(Boolean).length !== 1) return [`stash list is ${JSON.stringify(list)}`];
      return git(sb, dir, 'stash', 'show', '-p').includes('+stashed edit') ? [] : ['the stash lost its change'];
    },
  },
  {
    name: 'an in-progress merge',
    make: (sb, dir) => {
      git(sb, dir, 'checkout', '--quiet', '-b', 'side');
      writeFileSync(join(dir, 'README'), 'side\n');
      git(sb, dir, 'commit', '--quiet', '-am', 'side');
      git(sb, dir, 'checkout', '--quiet', 'main');
      writeFileSync(join(dir, 'README'), 'main\n');
      git(sb, dir, 'commit', '--quiet', '-am', 'main');
      try {
        git(sb, dir, 'merge', '--quiet', 'side');
      } catch {
        // the conflict is the point
      }
      if (!existsSync(join(dir, '.git', 'MERGE_HEAD'))) throw new Error('test setup: no merge in progress');
    },
    verify: (_sb, dir) => {
      if (!existsSync(join(dir, '.git', 'MERGE_HEAD'))) return ['the merge in progress is gone'];
      const readme = readFileSync(join(dir, 'README'), 'utf8');
      return /<<<<<<<[\s\S]*main[\s\S]*=======[\s\S]*side/.test(readme) ? [] : [`README lost its conflict: ${JSON.stringify(readme)}`];
    },
  },
];
