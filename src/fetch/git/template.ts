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

/** What of the user's git configuration changes how weft may make a checkout. Asked once per run. */
export interface UserGitConfig {
  /** A template of their own (init.templateDir, GIT_TEMPLATE_DIR): git's clone must copy it. */
  template: boolean;
  /**
   * Checkout filters (LFS, say: run inside the repository they serve) or index settings
   * (version, features) that one git process writing many checkouts would not honour per
   * repository: then each checkout is written by its own (checkout-batch.ts).
   */
  perRepoCheckout: boolean;
}

const ASKED = '^(init\\.templatedir|filter\\..*|index\\..*|feature\\..*|core\\.(sparsecheckout|splitindex|untrackedcache))$';

export function userGitConfig(git: Git, ctx: FetcherContext): Promise<UserGitConfig> {
  return once(ctx, 'git:user-config', async () => {
    // From the cache, where no repository's own config applies: the user's and the system's.
    const res = await git(['config', '--name-only', '--get-regexp', ASKED], { cwd: ctx.cacheDir });
    // 1: none of them set. Anything else but a list (a config git cannot read) leaves it all to git.
    if (res.code === 1) return { template: ctx.env.GIT_TEMPLATE_DIR !== undefined, perRepoCheckout: false };
    if (res.code !== 0) return { template: true, perRepoCheckout: true };
    const names = res.stdout.split('\n').filter(Boolean);
    return {
      template: ctx.env.GIT_TEMPLATE_DIR !== undefined || names.includes('init.templatedir'),
      perRepoCheckout: names.some((n) => n !== 'init.templatedir'),
    };
  });
}

/** Whether the user's git configuration names a template of its own. */
export async function userTemplate(git: Git, ctx: FetcherContext): Promise<boolean> {
  return (await userGitConfig(git, ctx)).template;
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
