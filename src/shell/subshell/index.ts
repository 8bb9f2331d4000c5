// `weft shell`: the user's own shell, their rc files read as usual, then weft's
// environment and a prompt marker on top.
import { basename } from 'node:path';
import { bashLaunch } from './bash.js';
import { fishLaunch } from './fish.js';
import { posixLaunch } from './posix.js';
import type { Launch, LaunchInput } from './types.js';
import { zshLaunch } from './zsh.js';

export type { Launch, LaunchInput } from './types.js';

/** Which rendering of the environment the shell's rc code needs. */
export function subshellKind(shell: string): 'bash' | 'zsh' | 'fish' | 'sh' {
  const name = basename(shell);
  return name === 'bash' || name === 'zsh' || name === 'fish' ? name : 'sh';
}

export function subshellLaunch(input: LaunchInput): Launch {
  const kind = subshellKind(input.shell);
  return kind === 'bash' ? bashLaunch(input) : kind === 'zsh' ? zshLaunch(input) : kind === 'fish' ? fishLaunch(input) : posixLaunch(input);
}

/**
 * `(weft:NAME) `: the name is shown in a prompt that bash and zsh expand (`\`, `$`, `%`,
 * backquotes), so anything but plain name characters becomes `_`.
 */
export function promptMarker(name: string): string {
  return `(weft:${name.replace(/[^A-Za-z0-9._@+-]/g, '_')}) `;
}
