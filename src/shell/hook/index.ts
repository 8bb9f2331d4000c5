import { bashHook } from './bash.js';
import { fishHook } from './fish.js';
import { zshHook } from './zsh.js';
import type { HookContext } from './common.js';

export { hookContext, type HookContext } from './common.js';
export const HOOK_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type HookShell = (typeof HOOK_SHELLS)[number];

export function hookCode(shell: HookShell, ctx: HookContext): string {
  return shell === 'bash' ? bashHook(ctx) : shell === 'zsh' ? zshHook(ctx) : fishHook(ctx);
}
