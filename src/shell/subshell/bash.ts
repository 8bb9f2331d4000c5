// bash: --rcfile replaces ~/.bashrc, so ours reads the user's first, then re-applies
// weft's environment (the user's rc may reset PATH), then marks the prompt.
import { join } from 'node:path';
import { posixQuote as q } from '../quote.js';
import type { Launch, LaunchInput } from './types.js';

export function bashLaunch(input: LaunchInput): Launch {
  const rc = join(input.dir, 'bashrc');
  const text = [
    '# weft shell: the user\'s ~/.bashrc, then the workspace environment',
    'if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi',
    input.envCode,
    ...(input.marker ? [`PS1=${q(input.marker)}"\${PS1-}"`] : []),
    '',
  ].join('\n');
  return { argv: [input.shell, '--rcfile', rc, '-i'], env: {}, files: { bashrc: text } };
}
