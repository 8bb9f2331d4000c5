// The source dependency picture as text (Graphviz dot, mermaid) or as data. Pure, so the same Plan
// always gives byte-identical output (sources in manifest order, groups sorted).
import { resolve, sep } from 'node:path';
import type { Plan, Source } from '../types.js';

export type GraphFormat = 'dot' | 'mermaid';

interface Edge {
  from: string;
  to: string;
  kind: 'depends' | 'import';
}

/** An `import:` whose sources the plan does not hold (yet): drawn as a note node. */
interface ImportNote {
  id: string;
  from: string;
  label: string;
  file: string;
  only?: string[];
}

/** The ref a version-control source asks for; undefined for other kinds and for none. */
function refOf(s: Source): string | undefined {
  return s.type === 'git' || s.type === 'svn' || s.type === 'hg' ? s.ref : undefined;
}

/** `kind ref` as shown under a node's name, e.g. `git trunk`. */
export function nodeDetail(s: Source): string {
  const ref = refOf(s);
  return ref === undefined ? s.type : `${s.type} ${ref}`;
}

/**
 * Which sources each `import:` brought in: those defined in a file inside the importing
 * source's checkout. A source also defined in the top-level manifest keeps its first
 * definition's location, so it counts as imported only when it really came from there.
 */
export function importEdges(plan: Plan): { edges: Edge[]; notes: ImportNote[] } {
  const edges: Edge[] = [];
  const notes: ImportNote[] = [];
  const seen = new Set<string>();
  for (const [i, imp] of plan.imports.entries()) {
    const from = plan.sources.find((s) => s.name === imp.from);
    if (!from) continue;
    const base = resolve(from.dir) + sep;
    const imported = plan.sources.filter((s) => s.name !== from.name && resolve(s.loc.file).startsWith(base));
    if (imported.length === 0) {
      const only = imp.only ? ` (only: ${imp.only.join(', ')})` : '';
      notes.push({ id: `import ${i + 1}`, from: from.name, label: `${from.name}/${imp.file}${only}`, file: imp.file, ...(imp.only ? { only: imp.only } : {}) });
      continue;
    }
    for (const s of imported) {
      const key = `${from.name}\0${s.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from: from.name, to: s.name, kind: 'import' });
    }
  }
  return { edges, notes };
}

function edges(plan: Plan): Edge[] {
  const out: Edge[] = [];
  for (const s of plan.sources) for (const d of s.depends) out.push({ from: s.name, to: d, kind: 'depends' });
  return [...out, ...importEdges(plan).edges];
}

/** A source sits in the cluster of its first group: dot and mermaid draw a node once. */
function clusters(plan: Plan): { groups: Map<string, Source[]>; loose: Source[] } {
  const groups = new Map<string, Source[]>();
  const loose: Source[] = [];
  for (const s of plan.sources) {
    const g = s.groups[0];
    if (g === undefined) loose.push(s);
    else groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  return { groups: new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), loose };
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function renderDot(plan: Plan): string {
  const lines = [`digraph ${dotString(plan.name)} {`, '  rankdir=LR;', '  node [shape=box];'];
  const node = (s: Source, indent: string) =>
    `${indent}${dotString(s.name)} [label=${dotString(`${s.name}\n${nodeDetail(s)}`)}];`;
  const { groups, loose } = clusters(plan);
  for (const [g, members] of groups) {
    lines.push(`  subgraph ${dotString(`cluster_${g}`)} {`, `    label=${dotString(g)};`);
    for (const s of members) lines.push(node(s, '    '));
    lines.push('  }');
  }
  for (const s of loose) lines.push(node(s, '  '));
  const { notes } = importEdges(plan);
  for (const n of notes) lines.push(`  ${dotString(n.id)} [shape=note, label=${dotString(`import\n${n.label}`)}];`);
  for (const e of edges(plan)) {
    const attrs = e.kind === 'import' ? ' [style=dashed, label="import"]' : '';
    lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${attrs};`);
  }
  for (const n of notes) lines.push(`  ${dotString(n.from)} -> ${dotString(n.id)} [style=dashed, label="import"];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Mermaid ids must avoid keywords such as `end` and punctuation, so names get a prefix. */
function mermaidIds(plan: Plan): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const s of plan.sources) {
    let id = `s_${s.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    for (let n = 2; used.has(id); n++) id = `s_${s.name.replace(/[^A-Za-z0-9_]/g, '_')}_${n}`;
    used.add(id);
    ids.set(s.name, id);
  }
  return ids;
}

function mermaidText(s: string): string {
  return `"${s.replace(/"/g, '#quot;')}"`;
}

export function renderMermaid(plan: Plan): string {
  const ids = mermaidIds(plan);
  const id = (name: string) => ids.get(name) ?? `s_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const lines = ['flowchart LR'];
  const node = (s: Source, indent: string) => `${indent}${id(s.name)}[${mermaidText(`${s.name}<br/>${nodeDetail(s)}`)}]`;
  const { groups, loose } = clusters(plan);
  for (const [g, members] of groups) {
    lines.push(`  subgraph g_${g.replace(/[^A-Za-z0-9_]/g, '_')}[${mermaidText(g)}]`);
    for (const s of members) lines.push(node(s, '    '));
    lines.push('  end');
  }
  for (const s of loose) lines.push(node(s, '  '));
  const { notes } = importEdges(plan);
  for (const [i, n] of notes.entries()) lines.push(`  i_${i + 1}>${mermaidText(`import<br/>${n.label}`)}]`);
  for (const e of edges(plan)) {
    lines.push(e.kind === 'import' ? `  ${id(e.from)} -. import .-> ${id(e.to)}` : `  ${id(e.from)} --> ${id(e.to)}`);
  }
  for (const [i, n] of notes.entries()) lines.push(`  ${id(n.from)} -. import .-> i_${i + 1}`);
  return lines.join('\n') + '\n';
}

export function renderGraph(plan: Plan, format: GraphFormat): string {
  return format === 'dot' ? renderDot(plan) : renderMermaid(plan);
}

/** The graph as data (`weft graph --json`): nodes in manifest order, then edges as drawn. */
export function graphData(plan: Plan) {
  const { notes } = importEdges(plan);
  return {
    nodes: plan.sources.map((s) => {
      const ref = refOf(s);
      return { name: s.name, type: s.type, ...(ref !== undefined ? { ref } : {}), groups: s.groups };
    }),
    edges: edges(plan),
    /** Imports whose sources are not read yet (the importing source is not checked out). */
    pendingImports: notes.map((n) => ({ from: n.from, file: n.file, ...(n.only ? { only: n.only } : {}) })),
  };
}
