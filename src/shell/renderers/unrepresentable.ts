import { WeftError } from '../../errors.js';

/** The error for a value a shell cannot hold or cannot be handed exactly: never emit it wrong. */
export function unrepresentable(shell: string, name: string, why: string, hint: string): WeftError {
  return new WeftError('WEFT_E_ENV_SHELL_VALUE', `${name} cannot be expressed for ${shell}: its value ${why}`, { hint });
}
