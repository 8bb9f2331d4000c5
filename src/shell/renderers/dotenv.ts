// `weft env --dotenv`: NAME='value' lines for tools that read .env files, and for
// `set -a; . ./.env` in sh. The readers disagree on everything but single quotes, so:
//
// - 'value' in single quotes, raw. sh, docker compose (compose-go) and Node's dotenv take
//   it literally, line breaks included; python-dotenv too, except that it reads \\ as one
//   backslash and, with its default interpolate=True, expands ${NAME} in every value.
// - a value holding ' is written "value" when it holds none of " \ $ `, which makes double
//   quotes literal for all of them (sh expands only $ ` \ there); otherwise it is refused.
//
// Also refused, because some reader would read something else or do something:
// - a trailing backslash: python-dotenv, Node's dotenv and compose take \' as an escaped
//   quote and run on into the next lines (python-dotenv 1.2.2, compose-go v2);
// - a carriage return: python-dotenv (universal newlines) and Node's dotenv turn it into \n;
// - `$(`: dotenv-expand 1000 runs it as a command in every value, quoted or not.
// dotenv-expand also expands $NAME and ${NAME} in every value (it only sees values after
// dotenv has removed the quotes); its escape, \$, would be literal to every other reader,
// so values with $ are written for the others and docs/shells.md says so.
//
// An unset variable cannot be expressed in the format; it is listed in a comment.
import { changedValues } from '../apply.js';
import type { DataRenderer } from './types.js';
import { unrepresentable } from './unrepresentable.js';

const FORMAT = 'a .env file (--dotenv)';
const HINT = 'run the program with "weft run -- CMD" instead, or read "weft env --json"; or change the value in the manifest';

export function dotenvQuote(name: string, value: string): string {
  const refuse = (why: string) => unrepresentable(FORMAT, name, why, HINT);
  if (value.endsWith('\\')) throw refuse('ends in a backslash, which python-dotenv, docker compose and Node\'s dotenv read as escaping the closing quote');
  if (value.includes('\r')) throw refuse('holds a carriage return, which python-dotenv and Node\'s dotenv read as a line break');
  if (value.includes('$(')) throw refuse('holds "$(", which dotenv-expand runs as a command in any quotes');
  if (!value.includes("'")) return `'${value}'`;
  if (!/["\\$`]/.test(value)) return `"${value}"`;
  throw refuse('holds a single quote together with one of " \\ $ `, which no quoting keeps literal for sh, python-dotenv and docker compose alike');
}

export const renderDotenv: DataRenderer = (model, base) => {
  const lines: string[] = [];
  for (const [name, value] of changedValues(model, base)) {
    lines.push(value === null ? `# ${name} is unset by weft` : `${name}=${dotenvQuote(name, value)}`);
  }
  return lines.join('\n') + '\n';
};
