// Reading tool manifests (vcstool, rosinstall, west) with positions for every error and
// note. Scalars are read back as their source text when YAML would make them numbers or
// booleans: `version: 1.10` is the tag "1.10", not the float 1.1.
import type { Document, LineCounter as Lines, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from '../yaml-api.js';
import { EXIT_USAGE, WeftError } from '../../errors.js';
import type { Loc } from '../../types.js';

export interface YamlInput {
  file: string;
  doc: Document.Parsed;
  lines: Lines;
}

export function parseYamlInput(text: string, file: string, what: string): YamlInput {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = lines.linePos(err.pos[0]);
    throw new WeftError('WEFT_E_CONVERT_PARSE', `${what} is not valid YAML: ${err.message.split('\n')[0]}`, {
      loc: { file, line: pos.line, col: pos.col },
      hint: 'fix the file (or convert a copy) and run weft init --from again',
      exitCode: EXIT_USAGE,
    });
  }
  return { file, doc, lines };
}

export function locOf(input: YamlInput, node: Node | Pair | null | undefined): Loc {
  const at = nodeStart(node);
  const pos = input.lines.linePos(at);
  return { file: input.file, line: pos.line, col: pos.col };
}

export function lineOf(input: YamlInput, node: Node | Pair | null | undefined): number {
  return input.lines.linePos(nodeStart(node)).line;
}

function nodeStart(node: Node | Pair | null | undefined): number {
  if (!node) return 0;
  if ('range' in node && node.range) return node.range[0];
  if ('key' in node) return nodeStart(node.key as Node | null) || nodeStart(node.value as Node | null);
  return 0;
}

/** A structural problem in the input: named position, exit 2, nothing written. */
export function invalid(input: YamlInput, node: Node | Pair | null | undefined, message: string, hint: string): WeftError {
  return new WeftError('WEFT_E_CONVERT_INPUT', message, { loc: locOf(input, node), hint, exitCode: EXIT_USAGE });
}

export function asMap(input: YamlInput, node: unknown, what: string, hint: string): YAMLMap<Node, Node | null> {
  if (isMap(node)) return node as YAMLMap<Node, Node | null>;
  throw invalid(input, node as Node | null, `${what} must be a mapping`, hint);
}

export function asSeq(input: YamlInput, node: unknown, what: string, hint: string): YAMLSeq<Node | null> {
  if (isSeq(node)) return node as YAMLSeq<Node | null>;
  throw invalid(input, node as Node | null, `${what} must be a list`, hint);
}

/** The scalar's text, or undefined for null/empty; collections are a structural error. */
export function scalarText(input: YamlInput, node: Node | null | undefined, what: string, hint: string): string | undefined {
  if (node === null || node === undefined) return undefined;
  if (!isScalar(node)) throw invalid(input, node, `${what} must be a single value`, hint);
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : v;
  return node.source ?? String(v);
}

/** True for an absent value: `key:` with nothing after it, `~` or `null`. */
export function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

export function keyText(pair: Pair): string {
  const k = pair.key;
  if (isScalar(k)) return k.source ?? String(k.value);
  return String(k);
}

/** The pairs of a mapping as [key text, pair] in input order. */
export function entries(map: YAMLMap<Node, Node | null>): Array<[string, Pair<Node, Node | null>]> {
  return map.items.map((p) => [keyText(p), p]);
}

export function pairOf(map: YAMLMap<Node, Node | null>, key: string): Pair<Node, Node | null> | undefined {
  return map.items.find((p) => keyText(p) === key);
}
