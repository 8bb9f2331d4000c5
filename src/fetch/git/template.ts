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
import { exec, type ExecResult } from '../../exec.js';
import type { FetcherContext } from '../fetcher.js';
import { once } from '../once.js';
import { createGit, gitEnv } from './run.js';

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
const ASK = ['--name-only', '--get-regexp', ASKED];

// Never a repository (a path under a device file cannot exist): git given it as GIT_DIR finds
// none, and reads only the system's and the user's configuration, wherever weft runs (a
// workspace inside a repository of its own included).
const NO_REPOSITORY = '/dev/null/weft-no-repository';

/** The run's memo key for the answer (once.ts). */
const USER_GIT_CONFIG = 'git:user-config';

/**
 * Asks git (one process) what of the user's configuration changes how weft makes a
 * checkout: from node, outside a run.
 */
async function askUserGitConfig(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<UserGitConfig> {
  return answer(env, await exec('git', ['config', ...ASK], { env: { ...gitEnv(env), GIT_DIR: NO_REPOSITORY }, timeoutMs }));
}

/**
 * The answer for this run, asked once. In a run the question goes through the run's git
 * runner, i.e. its forker: a fork of node cost ~4 ms of its one thread at this point of a
 * `weft up`, and the forker is about to start anyway. `weft up` asks as its run starts
 * when a new checkout is coming, so the answer is in before the first source needs it:
 * every clone and new checkout waits for it.
 */
export function userGitConfig(ctx: FetcherContext): Promise<UserGitConfig> {
  return once(ctx, USER_GIT_CONFIG, async () => {
    if (!ctx.atRunEnd) return askUserGitConfig(ctx.env, ctx.defaults.gitQuickTimeoutMs);
    // --git-dir is GIT_DIR; the runner's own -c options are none of the names asked.
    return answer(ctx.env, await createGit(ctx)([`--git-dir=${NO_REPOSITORY}`, 'config', ...ASK]));
  });
}

/** What `git config --name-only --get-regexp` said, as a UserGitConfig. */
function answer(env: NodeJS.ProcessEnv, res: ExecResult): UserGitConfig {
  // 1: none of them set. Anything else but a list (a config git cannot read, no git) leaves it all to git.
  if (res.code === 1) return { template: env.GIT_TEMPLATE_DIR !== undefined, perRepoCheckout: false };
  if (res.code !== 0) return { template: true, perRepoCheckout: true };
  const names = res.stdout.split('\n').filter(Boolean);
  return {
    template: env.GIT_TEMPLATE_DIR !== undefined || names.includes('init.templatedir'),
    perRepoCheckout: names.some((n) => n !== 'init.templatedir'),
  };
}

/** Whether the user's git configuration names a template of its own. */
export async function userTemplate(ctx: FetcherContext): Promise<boolean> {
  return (await userGitConfig(ctx)).template;
}

/**
 * The arguments that make `git clone` write weft's lean .git (they go before `clone`
 * and after it respectively), or none when the user's template must be used.
 */
export async function leanCloneArgs(ctx: FetcherContext): Promise<{ global: string[]; clone: string[] }> {
  if (await userTemplate(ctx)) return { global: [], clone: [] };
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
