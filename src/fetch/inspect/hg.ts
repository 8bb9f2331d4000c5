// Reads a Mercurial checkout's state with local commands and no user or repository config.
import { defaults } from '../../defaults.js';
import { exec } from '../../exec.js';
import type { Inspection, InspectContext } from './types.js';

export async function inspectHg(dir: string, ctx: InspectContext): Promise<Inspection> {
  // Same isolation as the fetcher: a repository's own hgrc could name hooks or extensions.
  const env: NodeJS.ProcessEnv = { ...ctx.env, HGPLAIN: '1', HGRCPATH: '', HGRCSKIPREPO: '1' };
  delete env.HGPLAINEXCEPT;
  const run = (args: string[]) =>
    exec('hg', ['--noninteractive', '--cwd', dir, ...args], { env, timeoutMs: defaults.gitQuickTimeoutMs });
  const base: Inspection = { present: true, modified: 0, untracked: 0 };
  const id = await run(['log', '-r', '.', '--template', '{node}\\n{branch}\\n']);
  if (id.code !== 0) return { ...base, problem: 'not a Mercurial repository' };
  const [node, branch] = id.stdout.split('\n');
  if (node && !/^0+$/.test(node)) base.revision = node;
  if (branch) base.branch = branch;
  const st = await run(['status']);
  for (const line of st.stdout.split('\n')) {
    if (line.startsWith('? ')) base.untracked++;
    else if (line.length > 1) base.modified++;
  }
  return base;
}
