// A workspace with real upstream git repos, brought up by the real `weft up`, for the
// status / which / foreach CLI tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, type WeftResult } from './cli.js';
import { gitSandbox, makeUpstream, type GitSandbox, type Upstream } from './git-repo.js';

export interface StatusWorkspace {
  sb: GitSandbox;
  ws: string;
  env: NodeJS.ProcessEnv;
  upstreams: Record<string, Upstream>;
  run(...args: string[]): Promise<WeftResult>;
  cleanup(): void;
}

/** Sources named `names` (each its own upstream); `groups` maps a name to its groups. */
export async function statusWorkspace(names: string[], groups: Record<string, string[]> = {}): Promise<StatusWorkspace> {
  const sb = gitSandbox();
  const env = isolatedEnv(sb.root);
  const upstreams: Record<string, Upstream> = {};
  const lines = ['sources:'];
  for (const n of names) {
    upstreams[n] = makeUpstream(sb, n);
    lines.push(`  ${n}:`, `    git: ${upstreams[n]!.dir}`, '    ref: main');
    if (groups[n]) lines.push(`    groups: [${groups[n]!.join(', ')}]`);
  }
  writeFileSync(join(sb.workspace, 'weft.yaml'), lines.join('\n') + '\n');
  const run = (...args: string[]) => weft(args, { cwd: sb.workspace, env });
  const up = await run('up');
  if (up.code !== 0) throw new Error(`weft up failed: ${up.stderr}${up.stdout}`);
  return { sb, ws: sb.workspace, env, upstreams, run, cleanup: sb.cleanup };
}
