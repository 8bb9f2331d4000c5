// bash: the POSIX rendering (posix.ts), made immune to `shopt -s nocasematch`, which would
// make the `case` membership test case-insensitive and drop a user's /Usr/bin as if it
// were weft's /usr/bin. The option is turned off around weft's code and restored after.
import { aroundBody, type ExportOps, posixRendering } from './posix.js';
import type { ShellRenderer } from './types.js';

const BEFORE = 'if shopt -q nocasematch 2>/dev/null; then __weft_ncm=1; shopt -u nocasematch; else __weft_ncm=; fi';
const AFTER = 'if [ -n "$__weft_ncm" ]; then shopt -s nocasematch; fi\nunset __weft_ncm';

// ${NAME@a} (the attributes, with x when exported) needs bash 4.4; older ones (macOS's
// /bin/bash is 3.2) read them from `declare -p`, one fork per variable, only on entering.
// eval keeps a bash that cannot parse ${…@a} from ever seeing it.
const EXPORTED_HELPER = `__weft_exported() {
  if [ "\${BASH_VERSINFO[0]}" -gt 4 ] || { [ "\${BASH_VERSINFO[0]}" = 4 ] && [ "\${BASH_VERSINFO[1]}" -ge 4 ]; }; then
    eval "__weft_a=\\\${$1@a}"
  else
    __weft_a=$(declare -p "$1" 2>/dev/null)
    __weft_a=\${__weft_a#declare -}
    __weft_a=\${__weft_a%% *}
  fi
  case $__weft_a in *x*) return 0 ;; esac
  return 1
}`;

const exportOps: ExportOps = {
  helper: EXPORTED_HELPER,
  cleanup: 'unset -f __weft_exported\nunset __weft_a',
  exported: (name) => `__weft_exported ${name}`,
  // Assigned first: with `set -a` the assignment alone would export it again.
  assignUnexported: (name, expr) => `${name}=${expr}; export -n ${name}`,
};

export const bashRenderer: ShellRenderer = aroundBody(posixRendering(exportOps), [BEFORE], [AFTER]);
