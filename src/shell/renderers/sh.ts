// sh: the POSIX rendering (see posix.ts); its own file so sh-only needs have a home.
import { posixRenderer } from './posix.js';
import type { ShellRenderer } from './types.js';

export const shRenderer: ShellRenderer = posixRenderer;
