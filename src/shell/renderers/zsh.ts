// zsh: the POSIX rendering (see posix.ts), with what zsh can tell about export status:
// ${(t)NAME} holds "-export" for an exported variable, and `typeset +x` takes it away.
// `-g` because the hook sources this file inside a function, where typeset alone would
// make a local. For the same reason weft's scratch variables are locals of an anonymous
// function around the body: with `setopt warn_create_global`, each one assigned in the
// hook's function printed a warning at every entering and leaving. What the file sets for
// the user is exported or typeset -g, so global either way.
import type { EnvModel } from '../model.js';
import { type ExportOps, posixRendering } from './posix.js';
import type { ShellRenderer } from './types.js';

const SCRATCH = ['__weft_rec', '__weft_out', '__weft_rest', '__weft_e', '__weft_c', '__weft_p'];

/** The body (every line after the header, which the hook reads) inside `() { local …; }`. */
function scoped(render: (m: EnvModel) => string): (m: EnvModel) => string {
  return (model) => {
    const [header, ...body] = render(model).replace(/\n$/, '').split('\n');
    return [header, '() {', `local ${SCRATCH.join(' ')}`, ...body, '}', ''].join('\n');
  };
}

const exportOps: ExportOps = {
  exported: (name) => `[[ \${(t)${name}} = *-export* ]]`,
  assignUnexported: (name, expr) => `typeset -g +x ${name}=${expr}`,
};

const posix = posixRendering(exportOps);

export const zshRenderer: ShellRenderer = {
  apply: scoped(posix.apply),
  unset: scoped(posix.unset),
};
