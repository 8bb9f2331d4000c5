// A reader for the plain YAML that manifests are almost always written in — block maps and
// lists, one-line scalars, one-line `[a, b]` lists, comments — that builds the same nodes
// the `yaml` library would (same classes, values, types, source texts and positions), and
// gives up on anything else: the library then reads the file as before, with its errors.
//
// Why: on the first run in a workspace (no plan cache yet: a new clone, CI) the library
// took 15–25 ms to read a 150-line manifest in a fresh process, a fifth of everything
// `weft up` does before its first `git clone` starts; this takes 3–4 ms. A 1000-source
// manifest: 175–200 ms, and 29 ms.
//
// What it gives up on: anchors, aliases, tags and merge keys; block scalars (`|`, `>`);
// flow maps other than `{}` and nested flow lists; scalars over several lines; quoted or complex keys;
// document markers and directives; tabs, carriage returns and control characters anywhere;
// escapes other than \\ \" \/ \n \t; plain values YAML's core schema would read as
// something other than a string, true/false, null or a whole number below 10^15 (1.10,
// 0x1f, -3, 1e5, .inf, 012); and anything unusual in indentation. Each of these is read by the
// library, so a file means the same whichever reader took it (test/resolve/yaml-plain.test
// compares the two on every manifest in the repository and on variations of them).
//
// Not kept, because nothing in weft reads them: comments, and where a node's trailing
// space and comment end (range[2], which is range[1] here; collections' range[1] is
// range[2] too). Positions that are read — every node's start, a scalar's end — are the
// library's.
import type { Document, LineCounter, Node, Pair as PairNode, Scalar as ScalarNode, YAMLMap as MapNode, YAMLSeq as SeqNode } from 'yaml';
import { Document as YamlDocument, Pair, Scalar, YAMLMap, YAMLSeq } from './yaml-api.js';

/** Thrown inside the reader when the text is not in the plain subset; never escapes it. */
class NotPlain extends Error {}

interface Line {
  /** Offset of its first character in the text. */
  start: number;
  text: string;
  /** Spaces before its first other character; -1 for a blank or comment-only line. */
  indent: number;
}

/** Characters that never appear in a plain manifest, or that change how YAML reads it. */
const UNUSUAL = /[\0-\x08\x0b-\x1f\x7f-\x9f\t\r\u2028\u2029\ufeff]/;
const KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*:(?= |$)/;
/** A plain scalar may not start with one of YAML's indicators. */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const NULL_WORD = /^(?:~|null|Null|NULL)$/;
const BOOL_WORD = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const WHOLE = /^(?:0|[1-9][0-9]{0,14})$/;
/**
 * What YAML's core schema reads as a number (the library's own tests for int, octal, hex,
 * float, exponent, inf and nan), besides the whole numbers read here: left to the library.
 * A commit id (3f2a9c…) or a version (1.4.0) is none of these, and stays a string.
 */
const NUMBER = /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t' };

/**
 * The document the library would make of `text`, with `lc` holding its line starts; or
 * undefined (and `lc` untouched) when the text is not in the plain subset.
 */
export function readPlainYaml(text: string, lc: LineCounter): Document.Parsed | undefined {
  if (UNUSUAL.test(text)) return undefined;
  const lines = splitLines(text);
  let contents: MapNode;
  try {
    const reader = new Reader(text, lines);
    contents = reader.document();
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
  lc.addNewLine(0);
  for (const line of lines.slice(1)) lc.addNewLine(line.start);
  if (text.endsWith('\n')) lc.addNewLine(text.length);
  const doc = new YamlDocument() as Document.Parsed;
  doc.contents = contents as MapNode.Parsed;
  doc.range = [0, text.length, text.length];
  return doc;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  // A final newline ends the last line; it does not start another.
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  while (start <= end) {
    let nl = text.indexOf('\n', start);
    if (nl < 0 || nl > end) nl = end;
    const lineText = text.slice(start, nl);
    const first = lineText.search(/[^ ]/);
    const indent = first < 0 || lineText[first] === '#' ? -1 : first;
    lines.push({ start, text: lineText, indent });
    start = nl + 1;
  }
  return lines;
}

class Reader {
  /** The next line not read yet. */
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
  ) {}

  document(): MapNode {
    const first = this.nextContent();
    // An empty file, or one that does not start with a map at column 0: the library says what is wrong.
    if (first < 0 || this.lines[first]!.indent !== 0) throw new NotPlain();
    const top = this.map(first, 0);
    if (this.nextContent() >= 0) throw new NotPlain();
    return top;
  }

  /** The index of the next line with content, skipping blank and comment lines; -1 at the end. */
  private nextContent(): number {
    while (this.at < this.lines.length && this.lines[this.at]!.indent < 0) this.at++;
    return this.at < this.lines.length ? this.at : -1;
  }

  /** A block map whose keys are at column `col`, the first one on line `i` (which may start with `- `). */
  private map(i: number, col: number): MapNode {
    const map = new YAMLMap();
    map.range = [this.lines[i]!.start + col, 0, 0];
    let line = i;
    for (;;) {
      map.items.push(this.entry(line, col));
      const next = this.nextContent();
      if (next < 0) break;
      const indent = this.lines[next]!.indent;
      if (indent < col) break;
      // A deeper line left over (a scalar over several lines), or a list where a key should be.
      if (indent > col || isItem(this.lines[next]!.text, col)) throw new NotPlain();
      line = next;
    }
    map.range[1] = map.range[2] = this.blockEnd();
    return map;
  }

  /** One `key: value` whose key is at column `col` of line `i`; reads the lines its value takes. */
  private entry(i: number, col: number): PairNode<ScalarNode, unknown> {
    const line = this.lines[i]!;
    const m = KEY.exec(line.text.slice(col));
    if (!m) throw new NotPlain();
    const name = m[0].slice(0, -1);
    if (NULL_WORD.test(name) || BOOL_WORD.test(name)) throw new NotPlain();
    const keyAt = line.start + col;
    const key = scalar(name, 'PLAIN', name, keyAt, keyAt + name.length);
    let pos = col + m[0].length;
    while (line.text[pos] === ' ') pos++;
    this.at = i + 1;
    if (pos < line.text.length && line.text[pos] !== '#') return new Pair(key, this.inline(line, pos, col));
    // Nothing after the colon: the value is on the lines below, or empty.
    const next = this.nextContent();
    if (next >= 0) {
      const below = this.lines[next]!;
      if (below.indent > col) return new Pair(key, this.block(next));
      // A list may sit at its key's own column.
      if (below.indent === col && isItem(below.text, col)) return new Pair(key, this.seq(next, col));
    }
    const at = line.start + pos;
    return new Pair(key, scalar(null, 'PLAIN', '', at, at));
  }

  /** The map or list that starts on line `i`. */
  private block(i: number): MapNode | SeqNode {
    const line = this.lines[i]!;
    return isItem(line.text, line.indent) ? this.seq(i, line.indent) : this.map(i, line.indent);
  }

  /** A block list whose `-` are at column `col`, the first on line `i`. */
  private seq(i: number, col: number): SeqNode {
    const seq = new YAMLSeq();
    seq.range = [this.lines[i]!.start + col, 0, 0];
    let at = i;
    for (;;) {
      const line = this.lines[at]!;
      if (!isItem(line.text, col)) throw new NotPlain();
      let pos = col + 1;
      while (line.text[pos] === ' ') pos++;
      // `-` alone (its value on the lines below), or a list in a list.
      if (pos >= line.text.length || line.text[pos] === '#' || line.text[pos] === '-') throw new NotPlain();
      if (KEY.test(line.text.slice(pos))) seq.items.push(this.map(at, pos));
      else {
        this.at = at + 1;
        seq.items.push(this.inline(line, pos, col));
      }
      const next = this.nextContent();
      if (next < 0) break;
      const indent = this.lines[next]!.indent;
      if (indent < col || (indent === col && !isItem(this.lines[next]!.text, col))) break;
      if (indent > col) throw new NotPlain();
      at = next;
    }
    seq.range[1] = seq.range[2] = this.blockEnd();
    return seq;
  }

  /** Where a block that ended before line `this.at` ends: the start of the line after its last. */
  private blockEnd(): number {
    let last = this.at - 1;
    while (last > 0 && this.lines[last]!.indent < 0) last--;
    const next = this.lines[last + 1];
    return next ? next.start : this.text.length;
  }

  /**
   * The value that starts at column `pos` of `line` and ends on it: a scalar or a `[...]`
   * list, then at most a comment. A deeper line after it (the value going on) is not plain.
   */
  private inline(line: Line, pos: number, col: number): Node {
    const text = line.text;
    let node: Node;
    let end: number;
    if (text[pos] === '[') [node, end] = flowSeq(line, pos);
    else if (text[pos] === '{') [node, end] = emptyFlowMap(line, pos);
    else if (text[pos] === '"' || text[pos] === "'") [node, end] = quoted(line, pos);
    else {
      const cut = text.indexOf(' #', pos);
      const raw = (cut < 0 ? text.slice(pos) : text.slice(pos, cut)).replace(/ +$/, '');
      if (INDICATOR.test(raw) || raw.includes(': ') || raw.endsWith(':')) throw new NotPlain();
      node = plain(raw, line.start + pos);
      end = pos + raw.length;
    }
    if (!/^(?: +#.*| *)$/.test(text.slice(end))) throw new NotPlain();
    const next = this.nextContent();
    if (next >= 0 && this.lines[next]!.indent > col) throw new NotPlain();
    return node;
  }
}

/** Whether `text` has a list item (`- ` or a lone `-`) at column `col`. */
function isItem(text: string, col: number): boolean {
  return text[col] === '-' && (text.length === col + 1 || text[col + 1] === ' ');
}

function scalar(value: unknown, type: ScalarNode.Type, source: string, start: number, end: number): ScalarNode {
  const node = new Scalar(value);
  node.type = type;
  node.source = source;
  node.range = [start, end, end];
  return node;
}

/** A plain scalar as YAML's core schema reads it: null, true/false, a whole number, or a string. */
function plain(raw: string, at: number): ScalarNode {
  const end = at + raw.length;
  if (NULL_WORD.test(raw)) return scalar(null, 'PLAIN', raw, at, end);
  if (BOOL_WORD.test(raw)) return scalar(raw[0] === 't' || raw[0] === 'T', 'PLAIN', raw, at, end);
  if (WHOLE.test(raw)) return scalar(Number(raw), 'PLAIN', raw, at, end);
  // `<<` is a merge key only as a key, but is left to the library anywhere.
  if (NUMBER.test(raw) || raw.startsWith('<')) throw new NotPlain();
  return scalar(raw, 'PLAIN', raw, at, end);
}

/** A quoted scalar closed on its line; [node, column after the closing quote]. */
function quoted(line: Line, pos: number): [ScalarNode, number] {
  const text = line.text;
  const q = text[pos]!;
  let value = '';
  let i = pos + 1;
  for (;;) {
    if (i >= text.length) throw new NotPlain();
    const c = text[i]!;
    if (c === q) {
      // '' inside single quotes is one quote.
      if (q === "'" && text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      break;
    }
    if (c === '\\' && q === '"') {
      const e = ESCAPES[text[i + 1] ?? ''];
      if (e === undefined) throw new NotPlain();
      value += e;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return [scalar(value, q === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', value, line.start + pos, line.start + i + 1), i + 1];
}

/** `{}`, as `sources: {}` in a new manifest; [node, column after the `}`]. A map with entries is not plain. */
function emptyFlowMap(line: Line, pos: number): [MapNode, number] {
  const m = /^\{ *\}/.exec(line.text.slice(pos));
  if (!m) throw new NotPlain();
  const map = new YAMLMap();
  map.flow = true;
  const end = line.start + pos + m[0].length;
  map.range = [line.start + pos, end, end];
  return [map, pos + m[0].length];
}

/** A one-line `[a, "b"]` list of scalars; [node, column after the `]`]. */
function flowSeq(line: Line, pos: number): [SeqNode, number] {
  const text = line.text;
  const seq = new YAMLSeq();
  seq.flow = true;
  let i = pos + 1;
  const spaces = (): void => {
    while (text[i] === ' ') i++;
  };
  spaces();
  if (text[i] === ']') {
    seq.range = [line.start + pos, line.start + i + 1, line.start + i + 1];
    return [seq, i + 1];
  }
  for (;;) {
    if (text[i] === '"' || text[i] === "'") {
      const [node, end] = quoted(line, i);
      seq.items.push(node);
      i = end;
    } else {
      const m = /^[^,[\]{}#:"' ]+(?: +[^,[\]{}#:"' ]+)*/.exec(text.slice(i));
      if (!m || INDICATOR.test(m[0])) throw new NotPlain();
      seq.items.push(plain(m[0], line.start + i));
      i += m[0].length;
    }
    spaces();
    if (text[i] === ']') break;
    if (text[i] !== ',') throw new NotPlain();
    i++;
    spaces();
    // A trailing comma, or an empty item.
    if (text[i] === ']' || text[i] === ',') throw new NotPlain();
  }
  seq.range = [line.start + pos, line.start + i + 1, line.start + i + 1];
  return [seq, i + 1];
}
