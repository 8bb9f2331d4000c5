// The version-control tools a kind of source needs. When one is not installed, every such
// source fails the same way: said as "git is not installed" with how to get it, before
// anything is started, instead of as the tool's exit code 127 ("git: command not found")
// under a generic clone failure.
import { whichTool } from '../exec.js';
import { once, type RunOnce } from './once.js';

export type Tool = 'git' | 'svn' | 'hg';

const PACKAGES: Record<Tool, { name: string; debian: string }> = {
  git: { name: 'git', debian: 'git' },
  svn: { name: 'Subversion', debian: 'subversion' },
  hg: { name: 'Mercurial', debian: 'mercurial' },
};

/** Undefined when `tool` is installed; else what to tell the user (asked once per run). */
export async function missingTool(ctx: { env: NodeJS.ProcessEnv; once?: RunOnce }, tool: Tool): Promise<string | undefined> {
  // Windows adds PATHEXT and the current directory: there the spawn itself decides.
  const present = process.platform === 'win32' || (await once(ctx, `tool:${tool}`, async () => whichTool(tool, ctx.env) !== undefined));
  if (present) return undefined;
  const p = PACKAGES[tool];
  return `${tool} is not installed (not found on PATH); install ${p.name} (Debian/Ubuntu: apt install ${p.debian}) or put it on PATH, then run weft up again`;
}
