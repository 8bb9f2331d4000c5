// The hook function shared by bash and zsh (both have `local`, `${v%/*}` and builtin `[`).
// State lives in shell variables: __weft_ws (the active workspace) and __weft_skip (a
// workspace found untrusted, so the message prints once per entering, not per prompt).
//
// Staying inside costs two `[ -nt ]` tests against this shell's mark file (touched at each
// trust check): `weft up` rewriting the env file, or `weft trust` / `--revoke` rewriting
// trust.json, makes them true, and the next prompt checks trust again and re-applies.
// The mark lives in weft's cache dir, per shell pid; `>|` so `noclobber` cannot stop it.

export function posixHookBody(weft: string, shell: 'bash' | 'zsh'): string {
  const msg = `weft: %s is not trusted; run 'weft trust' to activate it\\n`;
  const file = (dir: string) => `"${dir}/.weft/env/${shell}"`;
  return `__weft_touch() {
  { : >| "$1"; } 2>/dev/null || { command mkdir -p "\${1%/*}" && : >| "$1"; } 2>/dev/null
}
# Computed once, when the hook is loaded: per prompt they are only read.
__weft_mark="\${XDG_CACHE_HOME:-$HOME/.cache}/weft/hook/$$"
__weft_trust="\${XDG_CONFIG_HOME:-$HOME/.config}/weft/trust.json"
# The pre-rendered file holds absolute paths: it is sourced only when its first line names
# DIR (or a path to the same directory, e.g. through a symlink). A workspace copied or moved
# since weft up rendered it asks weft for its environment instead (one more start, on
# entering only), until the next weft up there renders it again.
__weft_apply() {
  local __weft_l= __weft_p=
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
__weft_hook() {
  local __weft_rc=$? __weft_d= __weft_again=
  # A weft shell is pinned to its workspace; the hook leaves it alone.
  [ -z "\${WEFT_SHELL-}" ] || return $__weft_rc
  # Inherited an activated environment inside its workspace (nested shell, exec, a new
  # tmux pane): take it over rather than apply it again; leaving then reverts it. One
  # applied elsewhere (a manual eval "$(weft -C ws env)") is the user's: left alone.
  if [ -z "\${__weft_ws-}" ] && [ -n "\${WEFT_WORKSPACE-}" ] && [ -n "\${WEFT_ENV_ADDED+x}" ]; then
    case "$PWD/" in
      "$WEFT_WORKSPACE"/*)
        __weft_ws=$WEFT_WORKSPACE
        __weft_touch "$__weft_mark" ;;
    esac
  fi
  if [ -n "\${__weft_ws-}" ]; then
    case "$PWD/" in
      "$__weft_ws"/*)
        [ ${file('$__weft_ws')} -nt "$__weft_mark" ] || [ "$__weft_trust" -nt "$__weft_mark" ] || return $__weft_rc
        __weft_d=$__weft_ws ;;
      *)
        eval "$(${weft} env --unset --shell ${shell})"
        __weft_ws= ;;
    esac
  fi
  if [ -z "$__weft_d" ] && [ -n "\${__weft_skip-}" ]; then
    case "$PWD/" in
      "$__weft_skip"/*)
        [ "$__weft_trust" -nt "$__weft_mark" ] || [ ${file('$__weft_skip')} -nt "$__weft_mark" ] || return $__weft_rc
        __weft_d=$__weft_skip
        __weft_again=1 ;;
    esac
    __weft_skip=
  fi
  if [ -z "$__weft_d" ]; then
    __weft_d=$PWD
    while [ -n "$__weft_d" ]; do
      [ -f ${file('$__weft_d')} ] && break
      __weft_d=\${__weft_d%/*}
    done
    [ -n "$__weft_d" ] || return $__weft_rc
  fi
  # Touched before the check, so a change made while it runs is seen at the next prompt.
  __weft_touch "$__weft_mark"
  if ${weft} trust --status --quiet -C "$__weft_d" >/dev/null 2>&1; then
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
    [ -n "$__weft_again" ] || printf "${msg}" "$__weft_d" >&2
  fi
  return $__weft_rc
}`;
}
