// zsh: the POSIX rendering (see posix.ts), with what zsh can tell about export status:
// ${(t)NAME} holds "-export" for an exported variable, and `typeset +x` takes it away.
// `-g` because the hook sources this file inside a function, where typeset alone would
// make a local.
import { type ExportOps, posixRendering } from './posix.js';
import type { ShellRenderer } from './types.js';

const exportOps: ExportOps = {
  exported: (name) => `[[ \${(t)${name}} = *-export* ]]`,
  assignUnexported: (name, expr) => `typeset -g +x ${name}=${expr}`,
};

export const zshRenderer: ShellRenderer = posixRendering(exportOps);
