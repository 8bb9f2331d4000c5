import { relative } from 'node:path';
import { redact } from '../redact.js';
import type { Plan, Source } from '../types.js';

function origin(s: Source): string {
  switch (s.type) {
    case 'git':
      return `${s.url}${s.commit ? ` @${s.commit.slice(0, 12)}` : s.ref ? ` @${s.ref}` : ' (default branch)'}`;
    case 'archive':
      return `${s.url} ${s.integrity.slice(0, 20)}…${s.strip ? ` strip ${s.strip}` : ''}`;
    case 'local':
      return s.dir;
    case 'svn':
    case 'hg':
      return `${s.url}${s.ref ? ` @${s.ref}` : ''}`;
  }
}

/** `weft up --dry-run`: what would be fetched where, and the environment order. */
export function renderPlan(plan: Plan, only: string[]): string {
  const sources = only.length ? plan.sources.filter((s) => only.includes(s.name)) : plan.sources;
  const w = Math.max(4, ...sources.map((s) => s.name.length));
  const lines = [`plan for ${plan.name} (${plan.manifest})`];
  for (const s of sources) {
    const where = s.type === 'local' ? '(in place)' : relative(plan.workspace, s.dir) || '.';
    lines.push(`  ${s.name.padEnd(w)}  ${s.type.padEnd(7)} ${redact(origin(s))} -> ${where}`);
  }
  lines.push(`environment order: ${plan.envOrder.join(', ') || '(none)'}`);
  for (const i of plan.pendingImports ?? []) {
    lines.push(`import pending: ${i.file} from ${i.from}${i.only ? ` (only ${i.only.join(', ')})` : ''} — read after weft up fetches ${i.from}`);
  }
  return lines.join('\n') + '\n';
}
