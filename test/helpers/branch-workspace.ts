// A workspace whose source `lib` (PATH gets lib's bin/) has an upstream with a `feature`
// branch, brought up by the real `weft up`: for the switch, merge, prune and
// never-lose-work CLI tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusWorkspace, type StatusWorkspace } from './status-workspace.js';

export async function branchWorkspace(extraSources: string[] = []): Promise<StatusWorkspace> {
  const w = await statusWorkspace(['lib', ...extraSources]);
  const lines = ['sources:', '  lib:', `    git: ${w.upstreams['lib']!.dir}`, '    ref: main', '    env:', '      PATH: bin'];
  for (const n of extraSources) lines.push(`  ${n}:`, `    git: ${w.upstreams[n]!.dir}`, '    ref: main');
  writeFileSync(join(w.ws, 'weft.yaml'), lines.join('\n') + '\n');
  const up = w.upstreams['lib']!;
  // A bin/ that exists: weft leaves directories that are not there out of PATH.
  up.commit('tools', { 'bin/tool': '#!/bin/sh\n' });
  up.checkout('feature', true);
  up.commit('feature work', { 'feature.txt': 'feature\n' });
  up.checkout('main');
  const r = await w.run('update');
  if (r.code !== 0) throw new Error(r.stderr + r.stdout);
  return w;
}

/** The manifest without `lib` (only the extra sources). */
export function dropLib(w: StatusWorkspace, extraSources: string[]): void {
  const lines = ['sources:' + (extraSources.length ? '' : ' {}')];
  for (const n of extraSources) lines.push(`  ${n}:`, `    git: ${w.upstreams[n]!.dir}`, '    ref: main');
  writeFileSync(join(w.ws, 'weft.yaml'), lines.join('\n') + '\n');
}
