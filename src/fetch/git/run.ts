// The one way weft runs git. Everything that makes git safe and quiet for a tool lives
// here: a cleaned environment, no prompts, no hooks, no command transports, a timeout.
import { join } from 'node:path';
import type { Defaults } from '../../defaults.js';
import { exec, type ExecResult } from '../../exec.js';
import { createForker, type Forker } from '../../forker.js';
import { madeDir, once, type RunOnce } from '../once.js';
import { makeCacheScratch } from '../tmp.js';

// Variables that would point git at another repository, index or object store than the
// one weft names, or inject config; inherited from a hook or a parent git they misdirect
// every call.
const DROPPED = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_NAMESPACE',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_PREFIX',
  'GIT_QUARANTINE_PATH',
  'GIT_SHALLOW_FILE',
  'GIT_GRAFT_FILE',
  'GIT_REPLACE_REF_BASE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_PROTOCOL',
  'GIT_REFLOG_ACTION',
  'GIT_LITERAL_PATHSPECS',
  'GIT_GLOB_PATHSPECS',
  'GIT_NOGLOB_PATHSPECS',
  'GIT_ICASE_PATHSPECS',
  // Graphical askpass helpers would pop up a prompt; git must never wait on a person.
  'GIT_ASKPASS',
  'SSH_ASKPASS',
]);

export const ALLOWED_PROTOCOLS = 'https:http:ssh:git:file';
/** Submodule URLs come from the fetched repository, not the manifest: no local file access (CVE-2022-39253). */
export const SUBMODULE_PROTOCOLS = 'https:http:ssh:git';

export interface GitCredentials {
  username?: string;
  password?: string;
}

/** The environment every git call runs with, built from the caller's. */
export function gitEnv(base: NodeJS.ProcessEnv, creds?: GitCredentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (DROPPED.has(k) || k.startsWith('GIT_CONFIG_KEY_') || k.startsWith('GIT_CONFIG_VALUE_') || k.startsWith('WEFT_GIT_')) continue;
    env[k] = v;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  env.GIT_ALLOW_PROTOCOL = ALLOWED_PROTOCOLS;
  env.GIT_PROTOCOL_FROM_USER = '0';
  env.GIT_MERGE_AUTOEDIT = 'no';
  env.GIT_EDITOR = 'true';
  // stderr is parsed (auth failures, missing refs), so messages must be git's English ones.
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  const ssh = base.GIT_SSH_COMMAND;
  if (ssh) env.GIT_SSH_COMMAND = `${ssh} -o BatchMode=yes`;
  else if (!base.GIT_SSH) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  if (creds?.username !== undefined) env.WEFT_GIT_USERNAME = creds.username;
  if (creds?.password !== undefined) env.WEFT_GIT_PASSWORD = creds.password;
  return env;
}

// Reads the secret from the environment so it is never in argv or any config file.
const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || return 0; printf "username=%s\\npassword=%s\\n" "$WEFT_GIT_USERNAME" "$WEFT_GIT_PASSWORD"; }; f';

export interface GitCallOptions {
  cwd?: string;
  timeoutMs?: number;
  /** This call may talk to a remote: refused outright in offline mode. */
  network?: boolean;
  creds?: GitCredentials;
  /** Overrides GIT_ALLOW_PROTOCOL for this call. */
  protocols?: string;
  /** False: the caller reads only the exit status (the run's forker then writes no output files). */
  output?: boolean;
}

export interface GitContext {
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  offline: boolean;
  defaults: Defaults;
  signal?: AbortSignal;
  once?: RunOnce;
  /** Present in a run (`weft up`): git calls are then started by the run's forker. */
  atRunEnd?: (fn: () => void) => void;
}

export type Git = (args: readonly string[], opts?: GitCallOptions) => Promise<ExecResult>;

/** The options every git call starts with: no hooks, no fsmonitor, no command transports. */
export function gitSafetyArgs(cacheDir: string): string[] {
  return [
    '-c', `core.hooksPath=${join(cacheDir, 'empty-hooks')}`,
    '-c', 'core.fsmonitor=false',
    '-c', 'protocol.ext.allow=never',
    '-c', 'submodule.recurse=false',
    '-c', 'advice.detachedHead=false',
  ];
}

/**
 * gitEnv for a runner, which also keeps git from looking above the cache for a repository:
 * a mirror damaged so that git no longer takes it for one (HEAD or objects/ gone) must fail,
 * not have a fetch with `+refs/heads/*:refs/heads/*` land in whatever repository holds the
 * cache (a home directory kept in git, say).
 */
function runEnv(ctx: GitContext, creds?: GitCredentials): NodeJS.ProcessEnv {
  return { ...gitEnv(ctx.env, creds), GIT_CEILING_DIRECTORIES: ctx.cacheDir };
}

/** Builds the git runner for one run: every git call weft makes goes through it. */
export function createGit(ctx: GitContext): Git {
  const hooks = join(ctx.cacheDir, 'empty-hooks');
  let made = false;
  return async (args, opts = {}) => {
    if (opts.network && ctx.offline) {
      // A programmer error: offline paths must never reach a network call.
      throw new Error(`offline: refusing network git call: git ${args.join(' ')}`);
    }
    if (!made) {
      await madeDir(ctx, hooks);
      made = true;
    }
    const pre = gitSafetyArgs(ctx.cacheDir);
    if (opts.creds?.username !== undefined || opts.creds?.password !== undefined) {
      // The empty value resets the list so the user's helpers cannot answer with other credentials first.
      pre.push('-c', 'credential.helper=', '-c', `credential.helper=${CREDENTIAL_HELPER}`);
    }
    const timeoutMs = opts.timeoutMs ?? (opts.network ? ctx.defaults.gitTimeoutMs : ctx.defaults.gitQuickTimeoutMs);
    // The forker's environment is the plain one: a call with credentials or other
    // protocols needs its own, and is spawned from node.
    if (opts.creds === undefined && opts.protocols === undefined) {
      const forker = await runForker(ctx);
      const res = await forker?.run(['git', ...pre, ...args], { cwd: opts.cwd, timeoutMs, output: opts.output });
      if (res) return res;
    }
    const env = runEnv(ctx, opts.creds);
    if (opts.protocols) env.GIT_ALLOW_PROTOCOL = opts.protocols;
    return exec('git', [...pre, ...args], { cwd: opts.cwd, env, timeoutMs, signal: ctx.signal });
  };
}

/**
 * Runs the shell script `file` with the environment git calls get: a few local git
 * commands and the files around them, without a round trip through node for each
 * (checkout-batch.ts). Its git calls carry no safety options on the command line: they
 * must name a repository whose config weft wrote.
 */
export async function gitShellScript(ctx: GitContext, file: string, opts: { cwd: string; timeoutMs: number }): Promise<ExecResult> {
  const { cwd, timeoutMs } = opts;
  const forker = await runForker(ctx);
  const res = await forker?.run(['sh', file], { cwd, timeoutMs, output: false });
  return res ?? exec('sh', [file], { cwd, env: runEnv(ctx), timeoutMs, signal: ctx.signal });
}

/**
 * The run's forker for git (see forker.ts), started with the first call and closed with
 * the run. Its environment is fixed when it starts: a context whose env differs (a retry
 * riding on an ssh master's connection) gets none, and spawns from node.
 */
async function runForker(ctx: GitContext): Promise<Forker | undefined> {
  const atRunEnd = ctx.atRunEnd;
  if (!atRunEnd || !ctx.once) return undefined;
  const made = await once(ctx, 'git:forker', async () => {
    const forker = createForker({ env: runEnv(ctx), scratchDir: makeCacheScratch(ctx.cacheDir), signal: ctx.signal });
    atRunEnd(() => forker.close());
    return { forker, env: ctx.env };
  });
  return made.env === ctx.env ? made.forker : undefined;
}
