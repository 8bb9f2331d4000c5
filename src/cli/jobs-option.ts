import { defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { wholeNumber } from './command.js';

/** -j/--jobs of weft up, update and foreach: a whole number from 1 to defaults.maxJobs, or undefined when not given. */
export function parseJobs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = wholeNumber(text);
  if (n === undefined || n < 1 || n > defaults.maxJobs) {
    throw new WeftError('WEFT_E_USAGE', `--jobs needs a whole number from 1 to ${defaults.maxJobs}, got "${text}"`, {
      hint: `e.g. -j ${defaults.jobs} (the default here)`,
    });
  }
  return n;
}

/** The option's help: `what` runs at once. */
export function jobsHelp(what: string): string {
  return `${what} (default 4 per CPU core, 4 to 16: ${defaults.jobs} here; at most ${defaults.maxJobs})`;
}
