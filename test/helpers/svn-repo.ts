// A real Subversion repository for tests: `svnadmin create`, a trunk, and commits made
// through an author working copy, all over file:// URLs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SvnRepo {
  /** Repository root directory (svnadmin's). */
  repoDir: string;
  /** file:// URL of the repository's trunk. */
  trunk: string;
  /** Writes (string) or deletes (null) files under trunk and commits; returns the new revision. */
  commit(files: Record<string, string | null>, message?: string): number;
  /** Commits outside trunk (a new directory under branches/); returns the new revision. */
  commitElsewhere(): number;
}

export function makeSvnRepo(root: string, env: NodeJS.ProcessEnv): SvnRepo {
  const svn = (...args: string[]): string =>
    execFileSync('svn', ['--non-interactive', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const repoDir = join(root, 'svn-repo');
  execFileSync('svnadmin', ['create', repoDir], { env });
  const rootUrl = pathToFileURL(repoDir).href;
  const trunk = `${rootUrl}/trunk`;
  svn('mkdir', '-q', '-m', 'trunk', '--parents', trunk, `${rootUrl}/branches`);
  const wc = join(root, 'svn-author');
  svn('checkout', '-q', trunk, wc);
  return {
    repoDir,
    trunk,
    commit(files, message = 'change') {
      for (const [path, text] of Object.entries(files)) {
        const file = join(wc, path);
        if (text === null) {
          svn('rm', '-q', file);
        } else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
      }
      svn('add', '-q', '--force', wc);
      svn('commit', '-q', '-m', message, wc);
      svn('update', '-q', wc);
      return Number(svn('info', '--show-item', 'last-changed-revision', wc).trim());
    },
    commitElsewhere() {
      svn('mkdir', '-q', '-m', 'elsewhere', `${rootUrl}/branches/b${Date.now()}${Math.random().toString(36).slice(2)}`);
      return Number(svn('info', '--show-item', 'revision', rootUrl).trim());
    },
  };
}
