import { basename } from 'node:path';
import type { ShellName } from './renderers/names.cjs';

// $SHELL basenames that name a shell weft renders for; csh is tcsh on every system that
// still ships it, and PowerShell installs as pwsh (pwsh-preview on some channels).
const KNOWN: Record<string, ShellName> = {
  bash: 'bash',
  zsh: 'zsh',
  fish: 'fish',
  tcsh: 'tcsh',
  csh: 'tcsh',
  elvish: 'elvish',
  nu: 'nu',
  pwsh: 'pwsh',
  'pwsh-preview': 'pwsh',
};

/**
 * The user's shell from $SHELL's basename. Everything else (dash, ksh, mksh, ash, or an
 * unknown shell) gets the POSIX rendering, which any sh runs.
 */
export function detectShell(env: NodeJS.ProcessEnv): ShellName {
  return KNOWN[basename(env.SHELL ?? '')] ?? 'sh';
}
