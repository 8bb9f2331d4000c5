// The hook function shared by bash and zsh (both have `local`, `${v%/*}` and builtin `[`).
// State lives in shell variables: __weft_ws (the active workspace) and __weft_skip (a
// workspace found untrusted or broken, so the message prints once per entering, not per prompt).
//
// Staying inside costs a few `[ -nt ]` tests against this shell's mark file (touched at each
// trust check): `weft up` rewriting the env file, `weft trust` / `--revoke` rewriting
// trust.json, or an edit of the manifest or weft.local.yaml (which revokes trust) makes one
// true, and the next prompt checks trust again and re-applies (or takes the environment out).
// The mark lives in weft's cache dir, per shell pid; `>|` so `noclobber` cannot stop it.
import { posixQuote as q } from '../quote.js';
import { EDITED_FILES, HOOK_INPUTS_FILE } from './common.js';

export function posixHookBody(argv: string[], shell: 'bash' | 'zsh'): string {
  const weft = argv.map(q).join(' ');
  const msg = `weft: %s is not trusted; run 'weft trust' to activate it\\n`;
  const file = (dir: string) => `"${dir}/.weft/env/${shell}"`;
  // What the hook starts must still be there: an uninstalled or moved weft would otherwise
  // print node's stack trace at the next cd and leave the environment applied but forgotten.
  const present = argv.map((a, n) => `[ ${n === 0 ? '-x' : '-f'} ${q(a)} ]`).join(' && ');
  // The files a workspace's environment is computed from that a user edits by hand.
  const edited = (dir: string, than: string) => EDITED_FILES.map((f) => `[ "${dir}/${f}" -nt "${than}" ]`).join(' || ');
  return `__weft_touch() {
  { : >| "$1"; } 2>/dev/null || { command mkdir -p "\${1%/*}" && : >| "$1"; } 2>/dev/null
}
# Computed once, when the hook is loaded: per prompt they are only read.
__weft_mark="\${XDG_CACHE_HOME:-$HOME/.cache}/weft/hook/$$"
# As weft finds it (trust.ts): a relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
case "\${XDG_CONFIG_HOME-}" in
  /*) __weft_trust="$XDG_CONFIG_HOME/weft/trust.json" ;;
  *) __weft_trust="$HOME/.config/weft/trust.json" ;;
esac
__weft_nl='
'
# The hook's state, made here (not in its functions, which zsh's warn_create_global would
# warn about) and kept as it is when the hook is loaded again.
: "\${__weft_ws=}" "\${__weft_skip=}" "\${__weft_lost=}"
# The workspace's other manifest files (weft.local.yaml, included, imported:
# .weft/env/inputs), a newline after each, read when it is applied or found untrusted; per
# prompt only this is read. One listed but gone (weft.local.yaml deleted) is left out, and
# __weft_missing says so: the rendered file still holds what it said.
__weft_inputs=
__weft_missing=
__weft_load_inputs() {
  local __weft_f=
  __weft_inputs= __weft_missing=
  [ -f "$1/.weft/env/${HOOK_INPUTS_FILE}" ] || return 0
  while IFS= read -r __weft_f || [ -n "$__weft_f" ]; do
    if [ -z "$__weft_f" ]; then :
    elif [ -e "$__weft_f" ]; then __weft_inputs=$__weft_inputs$__weft_f$__weft_nl
    else __weft_missing=1
    fi
  done < "$1/.weft/env/${HOOK_INPUTS_FILE}"
}
# True when one of them was edited since $1 was written, or is gone.
__weft_inputs_newer() {
  local __weft_r=$__weft_inputs __weft_f=
  while [ -n "$__weft_r" ]; do
    __weft_f=\${__weft_r%%"$__weft_nl"*}
    __weft_r=\${__weft_r#*"$__weft_nl"}
    [ "$__weft_f" -nt "$1" ] && return 0
    [ -e "$__weft_f" ] || return 0
  done
  return 1
}
# True (after saying so, once until it is back) when the weft this hook was made with is gone.
__weft_gone() {
  if ${present}; then
    __weft_lost=
    return 1
  fi
  [ -n "\${__weft_lost-}" ] || printf '%s\\n' ${q(`weft: cannot run ${argv[argv.length - 1]} (moved or uninstalled); the shell hook waits until it is back, or run eval "$(weft hook ${shell})" again`)} >&2
  __weft_lost=1
  return 0
}
# The pre-rendered file holds absolute paths: it is sourced only when its first line names
# DIR (or a path to the same directory, e.g. through a symlink). A workspace copied or moved
# since weft up rendered it, or whose manifest was edited since, asks weft for its
# environment instead (one more start, on entering only), until the next weft up there
# renders it again.
__weft_apply() {
  local __weft_l= __weft_p=
  __weft_load_inputs "$1"
  if ${edited('$1', '$1/.weft/env/stamp.json')} || [ -n "$__weft_missing" ] || __weft_inputs_newer "$1/.weft/env/stamp.json"; then
    eval "$(${weft} env --shell ${shell} -C "$1")"
    return
  fi
  { IFS= read -r __weft_l < ${file('$1')}; } 2>/dev/null
  case $__weft_l in
    "# weft: environment for "*" ($1); generated, safe to source again")
      . ${file('$1')}
      return ;;
  esac
  __weft_p=\${__weft_l%"); generated, safe to source again"}
  __weft_p=\${__weft_p#"# weft: environment for "*" ("}
  if [ -n "$__weft_p" ] && [ "$__weft_p" -ef "$1" ]; then
    . ${file('$1')}
  else
    eval "$(${weft} env --shell ${shell} -C "$1")"
  fi
}
# True when $PWD is in a workspace nested in DIR (one with its own rendered file, found
# before DIR going up): __weft_n names it. Builtins only, one test per directory below DIR.
__weft_nearer() {
  __weft_n=$PWD
  while [ -n "$__weft_n" ] && [ "$__weft_n" != "$1" ]; do
    [ -f ${file('$__weft_n')} ] && return 0
    __weft_n=\${__weft_n%/*}
  done
  return 1
}
__weft_hook() {
  local __weft_rc=$? __weft_d= __weft_again= __weft_err= __weft_st= __weft_n=
  # A weft shell is pinned to its workspace; the hook leaves it alone.
  [ -z "\${WEFT_SHELL-}" ] || return $__weft_rc
  # Inherited an activated environment inside its workspace (nested shell, exec, a new
  # tmux pane): take it over rather than apply it again; leaving then reverts it. One
  # applied elsewhere (a manual eval "$(weft -C ws env)") is the user's: left alone.
  if [ -z "\${__weft_ws-}" ] && [ -n "\${WEFT_WORKSPACE-}" ] && [ -n "\${WEFT_ENV_ADDED+x}" ]; then
    case "$PWD/" in
      "$WEFT_WORKSPACE"/*)
        __weft_ws=$WEFT_WORKSPACE
        __weft_load_inputs "$__weft_ws"
        __weft_touch "$__weft_mark" ;;
    esac
  fi
  if [ -n "\${__weft_ws-}" ]; then
    case "$PWD/" in
      "$__weft_ws"/*)
        # Entering a workspace nested in this one: it takes over (below, this one is
        # reverted first), as it does when entered from outside.
        if __weft_nearer "$__weft_ws"; then
          __weft_d=$__weft_n
        else
          [ ${file('$__weft_ws')} -nt "$__weft_mark" ] || [ "$__weft_trust" -nt "$__weft_mark" ] || ${edited('$__weft_ws', '$__weft_mark')} || __weft_inputs_newer "$__weft_mark" || return $__weft_rc
          __weft_d=$__weft_ws
        fi ;;
      *)
        # Gone: the environment stays applied and known, and is reverted once weft is back.
        __weft_gone && return $__weft_rc
        eval "$(${weft} env --unset --shell ${shell})"
        __weft_ws= __weft_inputs= ;;
    esac
  fi
  if [ -z "$__weft_d" ] && [ -n "\${__weft_skip-}" ]; then
    case "$PWD/" in
      "$__weft_skip"/*)
        if __weft_nearer "$__weft_skip"; then
          __weft_d=$__weft_n
        else
          [ "$__weft_trust" -nt "$__weft_mark" ] || [ ${file('$__weft_skip')} -nt "$__weft_mark" ] || ${edited('$__weft_skip', '$__weft_mark')} || __weft_inputs_newer "$__weft_mark" || return $__weft_rc
          __weft_d=$__weft_skip
          __weft_again=1
        fi ;;
    esac
    __weft_skip= __weft_inputs=
  fi
  if [ -z "$__weft_d" ]; then
    __weft_d=$PWD
    while [ -n "$__weft_d" ]; do
      [ -f ${file('$__weft_d')} ] && break
      __weft_d=\${__weft_d%/*}
    done
    [ -n "$__weft_d" ] || return $__weft_rc
  fi
  __weft_gone && return $__weft_rc
  # Touched before the check, so a change made while it runs is seen at the next prompt.
  __weft_touch "$__weft_mark"
  # 0 trusted, 1 not trusted, else the manifest cannot be read: its error's first line.
  __weft_err=$(${weft} trust --status --quiet -C "$__weft_d" 2>&1 >/dev/null)
  __weft_st=$?
  if [ "$__weft_st" = 0 ]; then
    # Re-applying after a change: take the old environment out first, so a variable the
    # manifest no longer sets goes away.
    [ -z "\${__weft_ws-}" ] || eval "$(${weft} env --unset --shell ${shell})"
    __weft_ws=$__weft_d
    __weft_apply "$__weft_d"
  else
    if [ -n "\${__weft_ws-}" ]; then
      eval "$(${weft} env --unset --shell ${shell})"
      __weft_ws=
    fi
    __weft_skip=$__weft_d
    __weft_load_inputs "$__weft_d"
    if [ -n "$__weft_again" ]; then :
    elif [ "$__weft_st" = 1 ]; then printf "${msg}" "$__weft_d" >&2
    else
      __weft_err=\${__weft_err%%"
"*}
      printf 'weft: %s is not activated: %s\\n' "$__weft_d" "\${__weft_err#weft: }" >&2
    fi
  fi
  return $__weft_rc
}`;
}
