// What goes into a new checkout's .git beyond what git needs: by default git copies its
// template (a dozen sample hooks, description, branches/, info/exclude) and clone writes
// three reflogs, ~25 files and directories per checkout that nothing reads. On a cold
// `weft up` of many small repositories creating them is a visible share of the time, so
// weft's clones use a template of just the empty hooks/ and info/ directories (the same
// .git materialize.ts writes from the cache) and no initial reflog. The template's config
// says `logallrefupdates = true`: git copies it into the new .git, so later ref updates are
// logged as in a plain clone, while the `-c` on the command line keeps the clone itself
// from writing reflogs (git writes its own default only when none is configured).
//
// A user who configured a template (init.templateDir, GIT_TEMPLATE_DIR) wants it in every
// clone (hooks installed that way, say): then git's own clone does the work, with theirs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileIfChanged } from '../../atomic.cjs';
import type { FetcherContext } from '../fetcher.js';
import { once } from '../once.js';
import type { Git } from './run.js';

const TEMPLATE_CONFIG = '[core]\n\tlogallrefupdates = true\n';

/** Whether the user's git configuration names a template of its own. Asked once per run. */
export function userTemplate(git: Git, ctx: FetcherContext): Promise<boolean> {
  return once(ctx, 'git:user-template', async () => {
    if (ctx.env.GIT_TEMPLATE_DIR !== undefined) return true;
    const res = await git(['config', '--get', 'init.templateDir']);
    // 1: not set. Anything else (set, or a config git cannot read) leaves it to git.
    return res.code !== 1;
  });
}

/**
 * The arguments that make `git clone` write weft's lean .git (they go before `clone`
 * and after it respectively), or none when the user's template must be used.
 */
export async function leanCloneArgs(git: Git, ctx: FetcherContext): Promise<{ global: string[]; clone: string[] }> {
  if (await userTemplate(git, ctx)) return { global: [], clone: [] };
  const dir = join(ctx.cacheDir, 'git-template');
  await once(ctx, 'git:lean-template', async () => {
    mkdirSync(join(dir, 'hooks'), { recursive: true });
    mkdirSync(join(dir, 'info'), { recursive: true });
    // Checked each run (an older weft's template had none), replaced atomically: another
    // weft's clone may be copying it. Not fsynced: a write lost in a crash is made again by
    // the next run's check, and the fsync sat before the first clone of every cold run.
    writeFileIfChanged(join(dir, 'config'), TEMPLATE_CONFIG, undefined, { durable: false });
  });
  // On the command line, not in the new config: later updates are logged as usual.
  return { global: ['-c', 'core.logAllRefUpdates=false'], clone: [`--template=${dir}`] };
}
