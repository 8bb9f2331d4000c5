// Variables that change how programs start (safety.md, "Commands from manifests"): set by
// an untrusted manifest, each one runs the manifest author's code in programs the user
// starts, outside any checkout (a preloaded library, a shell's startup file, a prompt that
// runs commands, an interpreter's startup option, a command git or a pager runs). weft
// applies them only in a trusted workspace; `weft env`, `weft run`, `weft shell` and
// `weft foreach` refuse the whole environment otherwise, so nothing half-applied leaks.
import { formatLoc, WeftError } from '../errors.js';
import { findManifest } from '../resolve/find.js';
import type { EnvEntry, Plan } from '../types.js';
import { posixQuote } from './quote.js';

const NAMES = new Set([
  // shells: startup files, prompts (bash and zsh run command substitutions in them)
  'BASH_ENV', 'ENV', 'ZDOTDIR', 'PROMPT_COMMAND', 'PS0', 'PS1', 'PS2', 'PS3', 'PS4', 'SHELLOPTS', 'BASHOPTS',
  // interpreters' own "run this first" switches
  'NODE_OPTIONS', 'PYTHONSTARTUP', 'PYTHONHOME', 'PYTHONWARNINGS', 'PYTHONBREAKPOINT', 'PYTHONINSPECT',
  'PERL5OPT', 'PERL5DB', 'RUBYOPT', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'GCONV_PATH',
  // git: commands it runs, and config that can name commands (core.fsmonitor, core.pager...)
  'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_PAGER',
  'GIT_EXTERNAL_DIFF', 'GIT_EXEC_PATH', 'GIT_PROXY_COMMAND', 'GIT_CONFIG', 'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_TEMPLATE_DIR', 'GIT_DIR',
  'GIT_COMMON_DIR',
  // command strings other tools hand to a shell
  'SSH_ASKPASS', 'SUDO_ASKPASS', 'EDITOR', 'VISUAL', 'PAGER', 'MANPAGER', 'LESSOPEN', 'LESSCLOSE', 'BROWSER',
]);

// The dynamic loaders read every LD_* / DYLD_* (preload, audit, library paths): one
// library on LD_LIBRARY_PATH named like libc reaches every program, the shell included.
const PREFIXES = ['LD_', 'DYLD_', 'GIT_CONFIG_KEY_', 'GIT_CONFIG_VALUE_'];

export function changesProgramStart(name: string): boolean {
  return NAMES.has(name) || PREFIXES.some((p) => name.startsWith(p));
}

/** The plan's entries that set or extend such a variable (an `unset` takes nothing in). */
export function startupEntries(plan: Plan): EnvEntry[] {
  const all = [...plan.env, ...plan.sources.flatMap((s) => s.env)];
  return all.filter((e) => e.op !== 'unset' && changesProgramStart(e.name));
}

/**
 * `weft` and what selects this plan's manifest, for commands in messages: nothing when
 * weft finds it from `here`, else `-C WORKSPACE`, or `--manifest FILE` when that would find
 * another file (one given by --manifest and named otherwise than weft.yaml, or a weft.yml
 * beside a weft.yaml).
 */
export function weftFor(plan: Pick<Plan, 'manifest' | 'workspace'>, here?: string): string {
  const finds = (dir: string): boolean => {
    try {
      return findManifest(dir) === plan.manifest;
    } catch {
      return false; // none there: only --manifest names it
    }
  };
  if (here !== undefined && finds(here)) return 'weft';
  return finds(plan.workspace) ? `weft -C ${posixQuote(plan.workspace)}` : `weft --manifest ${posixQuote(plan.manifest)}`;
}

/** The exact command that trusts this workspace, for messages. */
export function trustCommand(plan: Plan): string {
  return `${weftFor(plan)} trust`;
}

/**
 * Throws WEFT_E_UNTRUSTED_ENV, naming every such variable with its file:line, unless the
 * plan sets none or `trusted()` says the workspace is trusted (asked only when needed:
 * it hashes every manifest file).
 */
export function refuseUntrustedStartupVars(plan: Plan, trusted: () => boolean): void {
  const found = startupEntries(plan);
  if (found.length === 0 || trusted()) return;
  const where = (e: EnvEntry) => `${e.name} (${formatLoc(e.loc)}${e.origin === 'workspace' ? '' : `, source ${e.origin}`})`;
  throw new WeftError(
    'WEFT_E_UNTRUSTED_ENV',
    `this workspace is not trusted, and its environment sets ${found.map(where).join(', ')}, which change${found.length === 1 ? 's' : ''} how programs start; nothing was applied`,
    { loc: found[0]!.loc, hint: `review ${plan.manifest}, then run: ${trustCommand(plan)}` },
  );
}
