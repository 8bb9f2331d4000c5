// zsh: the POSIX rendering (see posix.ts), with what zsh can tell about export status:
// ${(t)NAME} holds "-export" for an exported variable, and `typeset +x` takes it away.
// `-g` because the hook sources this file inside a function, where typeset alone would
// make a local. For the same reason weft's scratch variables are locals of an anonymous
// function around the body: with `setopt warn_create_global`, each one assigned in the
// hook's function printed a warning at every entering and leaving. What the file sets for
// the user is exported or typeset -g, so global either way.
import { aroundBody, type ExportOps, posixRendering, SCRATCH_VARS } from './posix.js';
import type { ShellRenderer } from './types.js';

const exportOps: ExportOps = {
  exported: (name) => `[[ \${(t)${name}} = *-export* ]]`,
  assignUnexported: (name, expr) => `typeset -g +x ${name}=${expr}`,
};

export const zshRenderer: ShellRenderer = aroundBody(posixRendering(exportOps), ['() {', `local ${SCRATCH_VARS.join(' ')}`], ['}']);
