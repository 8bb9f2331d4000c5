import { bashHook } from './bash.js';
import { fishHook } from './fish.js';
import { nuHook } from './nu.js';
import { pwshHook } from './pwsh.js';
import { zshHook } from './zsh.js';
import type { HookContext } from './common.js';

export { hookContext, type HookContext } from './common.js';
export const HOOK_SHELLS = ['bash', 'zsh', 'fish', 'nu', 'pwsh'] as const;
export type HookShell = (typeof HOOK_SHELLS)[number];

const HOOKS: Record<HookShell, (ctx: HookContext) => string> = { bash: bashHook, zsh: zshHook, fish: fishHook, nu: nuHook, pwsh: pwshHook };

export function hookCode(shell: HookShell, ctx: HookContext): string {
  return HOOKS[shell](ctx);
}
