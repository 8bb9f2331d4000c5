// Builds the sources map the way every converter needs it: weft names derived from the
// tools' paths or names, unique, and every string made a weft literal.
import type { ConvertNote, ConvertedManifest, ConvertedSource } from './types.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Makes a string literal in weft: `${` would otherwise be read as a variable. */
export function literal(s: string): string {
  // Not replaceAll: in its replacement string `$$` stands for a single `$`.
  return s.split('${').join('$${');
}

/** A valid weft source name from any tool name or path ("src/ros2/rcl" → "rcl"). */
export function toName(raw: string): string {
  const cleaned = raw
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
  return cleaned || 'source';
}

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  return parts.at(-1) ?? path;
}

/** Path as written minus noise: "./a/b/" → "a/b". */
export function cleanPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '').replace(/\/{2,}/g, '/') || '.';
}

export interface SourceCollector {
  /**
   * Adds a source. `preferred` is the tool's own name for it (west project name,
   * submodule name) or undefined to derive one from `path`.
   */
  add(entry: { preferred?: string; path: string; line: number; source: Omit<ConvertedSource, 'path'> }): string;
  note(line: number, message: string): void;
  result(): { manifest: ConvertedManifest; notes: ConvertNote[] };
}

export function createCollector(): SourceCollector {
  const sources: Record<string, ConvertedSource> = {};
  const notes: ConvertNote[] = [];

  function uniqueName(preferred: string | undefined, path: string): string {
    const candidates = [preferred, lastSegment(path), path].filter((c): c is string => !!c).map(toName);
    for (const c of candidates) if (!(c in sources)) return c;
    const base = candidates[0]!;
    for (let i = 2; ; i++) if (!(`${base}-${i}` in sources)) return `${base}-${i}`;
  }

  return {
    add({ preferred, path, line, source }) {
      const name = uniqueName(preferred, path);
      if (preferred !== undefined && name !== preferred) {
        notes.push({ line, message: `"${preferred}" is named "${name}" in weft (names match ${NAME.source})` });
      }
      const where = cleanPath(path);
      const out: ConvertedSource = {};
      for (const [k, v] of Object.entries(source) as Array<[keyof ConvertedSource, ConvertedSource[keyof ConvertedSource]]>) {
        if (v === undefined) continue;
        (out as Record<string, unknown>)[k] = typeof v === 'string' ? literal(v) : Array.isArray(v) ? v.map(literal) : v;
      }
      if (where !== name && out.local === undefined) out.path = literal(where);
      sources[name] = out;
      return name;
    },
    note(line, message) {
      notes.push({ line, message });
    },
    result() {
      return { manifest: { weft: 1, sources }, notes: [...notes].sort((a, b) => a.line - b.line) };
    },
  };
}
