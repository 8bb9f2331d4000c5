// Small Markdown readers for the docs test: sections under a heading, code text, fenced
// YAML blocks with their info string, and relative links. Just enough Markdown for weft's
// own pages (ATX headings, ``` fences).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface FencedBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The words after the language, e.g. `file=weft.local.yaml`. */
  info: string[];
  text: string;
}

const FENCE = /^(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

/** Lines outside fenced code blocks are `prose`; fenced blocks are collected with their language. */
function scan(doc: string): { prose: string[]; blocks: (FencedBlock & { lang: string })[] } {
  const lines = doc.split('\n');
  const prose: string[] = [];
  const blocks: (FencedBlock & { lang: string })[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith(fence)) body.push(lines[j++]!);
    blocks.push({ line: i + 1, lang: open[2]!.toLowerCase(), info: open[3]!.split(/\s+/).filter(Boolean), text: body.join('\n') + '\n' });
    // Keep prose line-aligned with the document, so a line index means the same in both.
    for (let k = i; k <= Math.min(j, lines.length - 1); k++) prose.push('');
    i = j;
  }
  return { prose, blocks };
}

export function yamlBlocks(doc: string): FencedBlock[] {
  return scan(doc).blocks.filter((b) => b.lang === 'yaml' || b.lang === 'yml');
}

/** Command lines a reader might copy: inline code spans and fenced blocks that are not YAML. */
export function commandText(doc: string): string {
  const { prose, blocks } = scan(doc);
  const spans = [...prose.join('\n').matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]!);
  return [...spans, ...blocks.filter((b) => b.lang !== 'yaml' && b.lang !== 'yml').map((b) => b.text)].join('\n');
}

/** Everything a reader sees as code: inline code spans and the bodies of fenced blocks. */
export function codeText(doc: string): string {
  const { prose, blocks } = scan(doc);
  const spans = [...prose.join('\n').matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]!);
  return [...spans, ...blocks.map((b) => b.text)].join('\n');
}

/**
 * The text under the heading whose title (backticks removed) is `title` or starts with
 * `title ` — so "weft up" finds "## weft up" and "## `weft up` — converge", not "## weft update" —
 * up to the next heading of the same or a higher level. Headings inside code blocks do not count.
 */
export function headingSection(doc: string, title: string): string | undefined {
  const lines = scan(doc).prose;
  const all = doc.split('\n');
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(lines[i]!);
    if (!h) continue;
    if (start >= 0) {
      if (h[1]!.length <= level) return all.slice(start, i).join('\n');
      continue;
    }
    const text = h[2]!.replace(/`/g, '');
    if (text === title || text.startsWith(title + ' ')) {
      start = i;
      level = h[1]!.length;
    }
  }
  return start >= 0 ? all.slice(start).join('\n') : undefined;
}

/** GitHub's anchors for the headings outside code: lower case, punctuation dropped, spaces → `-`. */
export function headingAnchors(doc: string): Set<string> {
  const out = new Set<string>();
  for (const line of scan(doc).prose) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = h[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    let slug = base;
    for (let n = 1; out.has(slug); n++) slug = `${base}-${n}`;
    out.add(slug);
  }
  return out;
}

/** Targets of `[text](target)` links outside code. */
export function markdownLinks(doc: string): string[] {
  return [...scan(doc).prose.join('\n').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** Every `'WEFT_E_…'` string literal (any quote) in the .ts files under dir. */
export function errorCodesIn(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/['"`](WEFT_E_[A-Z0-9_]+)['"`]/g)) out.add(m[1]!);
      }
    }
  };
  walk(dir);
  return out;
}
