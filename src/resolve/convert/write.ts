// The converted manifest as text: stable key order, sources in the input's order, a
// header saying where it came from and what was left behind.
import { Document, isSeq, visit } from '../yaml-api.js';
import type { ConvertNote, ConvertedManifest, ConvertedSource } from './types.js';

export interface RenderOptions {
  /** Written first as `# yaml-language-server: $schema=…` so editors validate the file. */
  schemaUrl?: string;
  /** Further header comment lines (without `#`). */
  header?: string[];
  /** Listed in the header so they outlive the terminal they were printed on. */
  notes?: ConvertNote[];
  /** Input file name the notes' line numbers refer to. */
  from?: string;
}

const TOP_ORDER = ['weft', 'name', 'sources'] as const;
const SOURCE_ORDER: Array<keyof ConvertedSource> = ['git', 'svn', 'hg', 'local', 'ref', 'path', 'depth', 'submodules', 'groups'];

export function renderManifest(manifest: ConvertedManifest, opts: RenderOptions = {}): string {
  const sources: Record<string, Record<string, unknown>> = {};
  for (const [name, s] of Object.entries(manifest.sources)) {
    const ordered: Record<string, unknown> = {};
    for (const k of SOURCE_ORDER) if (s[k] !== undefined) ordered[k] = s[k];
    sources[name] = ordered;
  }
  const top: Record<string, unknown> = {};
  for (const k of TOP_ORDER) {
    const v = k === 'sources' ? sources : manifest[k];
    if (v !== undefined) top[k] = v;
  }
  const doc = new Document(top);
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node)) node.flow = true;
    },
  });
  const lines: string[] = [];
  if (opts.schemaUrl) lines.push(`yaml-language-server: $schema=${opts.schemaUrl}`);
  lines.push(...(opts.header ?? []));
  if (opts.notes?.length) {
    lines.push('', `Notes on the conversion${opts.from ? ` of ${opts.from}` : ''} (input line: note):`);
    for (const n of opts.notes) lines.push(`  ${n.line}: ${n.message}`);
  }
  const header = lines.map((l) => (l ? `# ${oneLine(l)}` : '#')).join('\n');
  return (header ? header + '\n\n' : '') + doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Input text quoted in a note, made safe to print or to put in a comment: a newline in a
 * key would otherwise end the comment and turn the rest into manifest content, and
 * escape sequences would reach the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}
