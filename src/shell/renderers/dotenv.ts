// `weft env --dotenv`: NAME="value" lines for tools that read .env files. Double quotes
// with \\ \" \n \r and \$ escaped is the form python-dotenv, docker compose and dotenv-
// expand all read back exactly; `$` is escaped so expanding readers leave it alone.
// An unset variable cannot be expressed in the format; it is listed in a comment.
import { changedValues } from '../apply.js';
import type { DataRenderer } from './types.js';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', $: '\\$' };

export function dotenvQuote(value: string): string {
  return `"${value.replace(/[\\"\n\r$]/g, (c) => ESCAPES[c] ?? c)}"`;
}

export const renderDotenv: DataRenderer = (model, base) => {
  const lines: string[] = [];
  for (const [name, value] of changedValues(model, base)) {
    lines.push(value === null ? `# ${name} is unset by weft` : `${name}=${dotenvQuote(value)}`);
  }
  return lines.join('\n') + '\n';
};
