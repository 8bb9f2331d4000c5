// Every other shell (dash, ksh, mksh, busybox sh…): POSIX interactive shells read $ENV,
// so ours reads the user's $ENV first. Shells that read neither (tcsh, elvish, nu…) still
// get the environment, from the process environment weft starts them with.
import { join } from 'node:path';
import { posixQuote as q } from '../quote.js';
import type { Launch, LaunchInput } from './types.js';

export function posixLaunch(input: LaunchInput): Launch {
  const file = join(input.dir, 'env.sh');
  const user = input.env['ENV'];
  const text = [
    '# weft shell: the user\'s $ENV, then the workspace environment',
    ...(user ? [`if [ -f ${q(user)} ]; then . ${q(user)}; fi`] : []),
    input.envCode,
    ...(input.marker ? [`PS1=${q(input.marker)}"\${PS1-\\$ }"`] : []),
    '',
  ].join('\n');
  return { argv: [input.shell, '-i'], env: { ENV: file }, files: { 'env.sh': text } };
}
