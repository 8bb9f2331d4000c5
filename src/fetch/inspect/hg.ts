// Reads a Mercurial checkout's state with local commands and no user or repository config.
import { defaults } from '../../defaults.js';
import { exec, type ExecResult } from '../../exec.js';
import type { Inspection, InspectContext } from './types.js';

type HgRun = (args: string[]) => Promise<ExecResult>;

function hgIn(dir: string, ctx: InspectContext): HgRun {
  // Same isolation as the fetcher: a repository's own hgrc could name hooks or extensions.
  const env: NodeJS.ProcessEnv = { ...ctx.env, HGPLAIN: '1', HGRCPATH: '', HGRCSKIPREPO: '1' };
  delete env.HGPLAINEXCEPT;
  return (args) => exec('hg', ['--noninteractive', '--cwd', dir, ...args], { env, timeoutMs: defaults.gitQuickTimeoutMs });
}

/** The working directory's parent changeset and its branch; undefined when `dir` is no Mercurial repository. */
async function parent(run: HgRun): Promise<{ node?: string; branch?: string } | undefined> {
  const id = await run(['log', '-r', '.', '--template', '{node}\\n{branch}\\n']);
  if (id.code !== 0) return undefined;
  const [node, branch] = id.stdout.split('\n');
  return { node: node && !/^0+$/.test(node) ? node : undefined, branch: branch || undefined };
}

/** The changeset checked out in `dir` (`hg log -r .`); undefined when there is none. */
export async function hgRevision(dir: string, ctx: InspectContext): Promise<string | undefined> {
  return (await hgParent(dir, ctx))?.node;
}

/**
 * The changesets only this clone has under the working directory's (draft: committed here,
 * never pushed to a publishing repository); undefined when hg cannot say.
 */
export async function hgUnpushed(dir: string, ctx: InspectContext): Promise<number | undefined> {
  const r = await hgIn(dir, ctx)(['log', '-r', 'draft() and ::.', '--template', 'x']);
  return r.code === 0 ? r.stdout.length : undefined;
}

/** The working directory's changeset and named branch (`hg log -r .`). */
export function hgParent(dir: string, ctx: InspectContext): ReturnType<typeof parent> {
  return parent(hgIn(dir, ctx));
}

export async function inspectHg(dir: string, ctx: InspectContext): Promise<Inspection> {
  const run = hgIn(dir, ctx);
  const base: Inspection = { present: true, modified: 0, untracked: 0 };
  const at = await parent(run);
  if (!at) return { ...base, problem: 'not a Mercurial repository' };
  if (at.node) base.revision = at.node;
  if (at.branch) base.branch = at.branch;
  const st = await run(['status']);
  for (const line of st.stdout.split('\n')) {
    if (line.startsWith('? ')) base.untracked++;
    else if (line.length > 1) base.modified++;
  }
  return base;
}
