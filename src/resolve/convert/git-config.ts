// A reader for git's config syntax (what `.gitmodules` is written in): sections,
// `[section "subsection"]`, quoted values with escapes, `;`/`#` comments, backslash
// line continuations. Keys and section names are case-insensitive, as in git.
import { EXIT_USAGE, WeftError } from '../../errors.js';

export interface ConfigEntry {
  key: string;
  value: string;
  line: number;
}

export interface ConfigSection {
  name: string;
  subsection?: string;
  line: number;
  entries: ConfigEntry[];
}

const HEADER = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(?:[;#].*)?$/;
const KEY = /^([A-Za-z][A-Za-z0-9-]*)\s*(=|$)/;

export function parseGitConfig(text: string, file: string): ConfigSection[] {
  const lines = text.split(/\r?\n/);
  const sections: ConfigSection[] = [];
  const fail = (line: number, col: number, why: string) =>
    new WeftError('WEFT_E_CONVERT_PARSE', `${file.split('/').at(-1)} is not valid git config syntax: ${why}`, {
      loc: { file, line, col },
      hint: 'check it with: git config -f FILE --list',
      exitCode: EXIT_USAGE,
    });
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = HEADER.exec(line);
      if (!m) throw fail(lineNo, indent + 1, `bad section header "${line}"`);
      const dotted = m[1]!.toLowerCase().split('.');
      const name = dotted[0]!;
      const subsection = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : dotted.length > 1 ? dotted.slice(1).join('.') : undefined;
      sections.push({ name, subsection, line: lineNo, entries: [] });
      continue;
    }
    const k = KEY.exec(line);
    if (!k) throw fail(lineNo, indent + 1, `expected "key = value", got "${line}"`);
    const section = sections.at(-1);
    if (!section) throw fail(lineNo, indent + 1, `"${k[1]}" appears before any [section]`);
    let rest = k[2] === '=' ? line.slice(k[0].length) : undefined;
    let value = 'true';
    if (rest !== undefined) {
      // A value may continue on following lines when a line ends in an unescaped backslash.
      let parsed = readValue(rest);
      while (parsed.continued && i + 1 < lines.length) {
        i++;
        rest = lines[i]!;
        const next = readValue(rest);
        parsed = { value: parsed.value + next.value, continued: next.continued, error: next.error };
      }
      if (parsed.error) throw fail(lineNo, indent + 1, parsed.error);
      value = parsed.value;
    }
    section.entries.push({ key: k[1]!.toLowerCase(), value, line: lineNo });
  }
  return sections;
}

function readValue(s: string): { value: string; continued: boolean; error?: string } {
  let out = '';
  let pendingSpace = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) return { value: out, continued: true };
      const esc: Record<string, string> = { n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' };
      if (!(n in esc)) return { value: out, continued: false, error: `bad escape "\\${n}"` };
      out += pendingSpace + esc[n];
      pendingSpace = '';
      i++;
    } else if (c === '"') {
      out += pendingSpace;
      pendingSpace = '';
      quoted = !quoted;
    } else if (!quoted && (c === '#' || c === ';')) {
      break;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (out !== '') pendingSpace += c;
    } else {
      out += pendingSpace + c;
      pendingSpace = '';
    }
  }
  if (quoted) return { value: out, continued: false, error: 'unclosed quote' };
  return { value: out, continued: false };
}
