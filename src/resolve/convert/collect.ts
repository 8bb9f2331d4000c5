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

/** `inner` is `outer` or below it ('.' holds everything). */
function within(outer: string, inner: string): boolean {
  return outer === '.' || inner === outer || inner.startsWith(`${outer}/`);
}

function overlaps(a: string, b: string): boolean {
  return within(a, b) || within(b, a);
}

export interface SourceCollector {
  /**
   * Adds a source. `preferred` is the tool's own name for it (west project name,
   * submodule name) or undefined to derive one from `path`.
   */
  add(entry: { preferred?: string; path: string; line: number; source: Omit<ConvertedSource, 'path'> }): void;
  note(line: number, message: string): void;
  result(): { manifest: ConvertedManifest; notes: ConvertNote[] };
}

export function createCollector(): SourceCollector {
  const sources: Record<string, ConvertedSource> = {};
  const notes: ConvertNote[] = [];
  /** Where each source carried over is checked out, with the line that listed it. */
  const placed: { path: string; line: number }[] = [];

  function uniqueName(preferred: string | undefined, path: string): string {
    const candidates = [preferred, lastSegment(path), path].filter((c): c is string => !!c).map(toName);
    for (const c of candidates) if (!(c in sources)) return c;
    const base = candidates[0]!;
    for (let i = 2; ; i++) if (!(`${base}-${i}` in sources)) return `${base}-${i}`;
  }

  return {
    add({ preferred, path, line, source }) {
      const where = cleanPath(path);
      // Tools that check repositories out inside one another (vcstool, west) have no
      // equivalent: weft keeps each source in a directory of its own, so the later of two
      // nested entries is left out, said, rather than written into a manifest that fails.
      const outer = source.local === undefined ? placed.find((p) => overlaps(p.path, where)) : undefined;
      if (outer) {
        const how = where === outer.path ? 'in the same directory as' : within(outer.path, where) ? 'inside' : 'around';
        notes.push({ line, message: `repository at "${where}" not carried over: it would be checked out ${how} the one at "${outer.path}" (line ${outer.line}), and weft keeps each source in a directory of its own; add it by hand with a path of its own` });
        return;
      }
      if (source.local === undefined) placed.push({ path: where, line });
      const name = uniqueName(preferred, path);
      if (preferred !== undefined && name !== preferred) {
        notes.push({ line, message: `"${preferred}" is named "${name}" in weft (names match ${NAME.source})` });
      }
      const out: ConvertedSource = {};
      for (const [k, v] of Object.entries(source) as Array<[keyof ConvertedSource, ConvertedSource[keyof ConvertedSource]]>) {
        if (v === undefined) continue;
        (out as Record<string, unknown>)[k] = typeof v === 'string' ? literal(v) : Array.isArray(v) ? v.map(literal) : v;
      }
      if (where !== name && out.local === undefined) out.path = literal(where);
      sources[name] = out;
    },
    note(line, message) {
      notes.push({ line, message });
    },
    result() {
      return { manifest: { weft: 1, sources }, notes: [...notes].sort((a, b) => a.line - b.line) };
    },
  };
}
