// The hook function shared by bash and zsh (both have `local`, `${v%/*}` and builtin `[`).
// State lives in shell variables: __weft_ws (the active workspace) and __weft_skip (a
// workspace found untrusted, so the message prints once per entering, not per prompt).

export function posixHookBody(weft: string, shell: 'bash' | 'zsh'): string {
  const msg = `weft: %s is not trusted; run 'weft trust' to activate it\\n`;
  return `__weft_hook() {
  local __weft_rc=$? __weft_d
  if [ -n "\${__weft_ws-}" ]; then
    case "$PWD/" in "$__weft_ws"/*) return $__weft_rc ;; esac
    eval "$(${weft} env --unset --shell ${shell})"
    __weft_ws=
  fi
  if [ -n "\${__weft_skip-}" ]; then
    case "$PWD/" in "$__weft_skip"/*) return $__weft_rc ;; esac
    __weft_skip=
  fi
  __weft_d=$PWD
  while [ -n "$__weft_d" ]; do
    [ -f "$__weft_d/.weft/env/${shell}" ] && break
    __weft_d=\${__weft_d%/*}
  done
  [ -n "$__weft_d" ] || return $__weft_rc
  if ${weft} trust --status --quiet -C "$__weft_d" >/dev/null 2>&1; then
    __weft_ws=$__weft_d
    . "$__weft_d/.weft/env/${shell}"
  else
    __weft_skip=$__weft_d
    printf "${msg}" "$__weft_d" >&2
  fi
  return $__weft_rc
}`;
}
