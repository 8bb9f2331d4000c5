// The version-control tools a kind of source needs. When one is not installed, every such
// source fails the same way: said as "git is not installed" with how to get it, before
// anything is started, instead of as the tool's exit code 127 ("git: command not found")
// under a generic clone failure.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { once, type RunOnce } from './once.js';

export type Tool = 'git' | 'svn' | 'hg';

const PACKAGES: Record<Tool, { name: string; debian: string }> = {
  git: { name: 'git', debian: 'git' },
  svn: { name: 'Subversion', debian: 'subversion' },
  hg: { name: 'Mercurial', debian: 'mercurial' },
};

/** Whether `cmd` is an executable file in one of `$PATH`'s directories (as execvp looks). */
export function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  // Windows adds PATHEXT and the current directory; leave that to the spawn itself.
  if (process.platform === 'win32') return true;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const file = join(dir || '.', cmd);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return true;
    } catch {
      /* not here */
    }
  }
  return false;
}

/** Undefined when `tool` is installed; else what to tell the user (asked once per run). */
export async function missingTool(ctx: { env: NodeJS.ProcessEnv; once?: RunOnce }, tool: Tool): Promise<string | undefined> {
  const present = await once(ctx, `tool:${tool}`, async () => onPath(tool, ctx.env));
  if (present) return undefined;
  const p = PACKAGES[tool];
  return `${tool} is not installed (not found on PATH); install ${p.name} (Debian/Ubuntu: apt install ${p.debian}) or put it on PATH, then run weft up again`;
}
