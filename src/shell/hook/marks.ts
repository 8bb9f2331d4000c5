// The hook's per-shell mark files (see posix.ts) are named by the shell's pid and never
// removed by the shell itself (that would cost a fork on exit). `weft hook` runs once per
// new shell, so it sweeps the marks of shells that are gone.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function hookMarkDir(env: NodeJS.ProcessEnv): string | undefined {
  const cache = env['XDG_CACHE_HOME'] || (env['HOME'] ? join(env['HOME'], '.cache') : undefined);
  return cache === undefined ? undefined : join(cache, 'weft', 'hook');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH, or EPERM: the pid now belongs to another user's process, not our shell.
    return false;
  }
}

export function sweepHookMarks(env: NodeJS.ProcessEnv): void {
  const dir = hookMarkDir(env);
  if (dir === undefined) return;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (/^\d+$/.test(name) && !alive(Number(name))) rmSync(join(dir, name), { force: true });
  }
}
