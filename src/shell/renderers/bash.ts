// bash: the POSIX rendering (posix.ts), made immune to `shopt -s nocasematch`, which would
// make the `case` membership test case-insensitive and drop a user's /Usr/bin as if it
// were weft's /usr/bin. The option is turned off around weft's code and restored after.
import type { EnvModel } from '../model.js';
import { posixRenderer } from './posix.js';
import type { ShellRenderer } from './types.js';

const BEFORE = 'if shopt -q nocasematch 2>/dev/null; then __weft_ncm=1; shopt -u nocasematch; else __weft_ncm=; fi';
const AFTER = 'if [ -n "$__weft_ncm" ]; then shopt -s nocasematch; fi\nunset __weft_ncm';

function guarded(render: (m: EnvModel) => string): (m: EnvModel) => string {
  return (model) => {
    const [header, ...body] = render(model).split('\n');
    return [header, BEFORE, ...body.slice(0, -1), AFTER, ''].join('\n');
  };
}

export const bashRenderer: ShellRenderer = {
  apply: guarded(posixRenderer.apply),
  unset: guarded(posixRenderer.unset),
};
