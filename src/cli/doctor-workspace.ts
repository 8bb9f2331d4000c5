// `weft doctor`'s checks of one workspace: required tools, trust, stale locks, the lock
// file, and each source's checkout.
import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { defaults } from '../defaults.js';
import { activeSource, gitDirOf, hgUnpushed, inspectCheckout, lockDistance, packDamage, readCheckouts, type Inspection, type InspectContext } from '../fetch/index.js';
import { pidAlive, readOwner } from '../fetch/lockfile.js';
import { runPool } from '../fetch/pool.js';
import { checkRequires, lockStaleness, probeTools, readLock } from '../resolve/index.js';
import { trustStatus } from '../shell/index.js';
import type { Checkout, Plan, Source } from '../types.js';
import { plural } from '../words.js';
import type { Check } from './doctor-system.js';

export async function requiresChecks(plan: Plan, env: NodeJS.ProcessEnv, cacheDir: string): Promise<Check[]> {
  const tools = probeTools(env, join(cacheDir, 'tools.json'));
  const checks = await checkRequires(plan.requires, tools);
  tools.save();
  return checks.map((c) => ({
    name: `requires ${c.tool}`,
    status: c.ok ? 'ok' : 'fail',
    detail: c.ok ? `${c.version ? `${c.version} matches ${c.range}` : `found (${c.range}: any version)`} (${c.path})` : `${c.range}: ${c.problem}`,
    ...(c.fix && { fix: c.fix }),
  }));
}

export function trustCheck(plan: Plan, env: NodeJS.ProcessEnv, weft = 'weft'): Check {
  const t = trustStatus(plan, env);
  if (t.trusted) return { name: 'trust', status: 'ok', detail: 'this workspace is trusted' };
  const show = (f: string) => relative(plan.workspace, f) || f;
  return {
    name: 'trust',
    status: 'warn',
    detail: t.unknown ? 'not trusted: setup steps do not run and the hook does not activate it' : `trusted before, but changed since: ${t.changed.map(show).join(', ')}`,
    fix: `read the manifest, then run \`${weft} trust\``,
  };
}

/** Lock files whose owner on this host is no longer running. */
export function staleLockChecks(workspace: string, cacheDir: string): Check[] {
  const candidates = [join(workspace, '.weft', 'lock'), ...lockFilesUnder(cacheDir, 3)];
  const stale = candidates.filter((f) => {
    const owner = readOwner(f);
    return owner !== undefined && owner.host === hostname() && !pidAlive(owner.pid);
  });
  if (stale.length === 0) return [{ name: 'locks', status: 'ok', detail: 'no stale lock files' }];
  return stale.map((f) => ({
    name: 'locks',
    status: 'warn',
    detail: `${f} belongs to process ${readOwner(f)!.pid}, which is gone (weft breaks it on its next run)`,
    fix: `rm ${f}`,
  }));
}

function lockFilesUnder(dir: string, depth: number): string[] {
  if (depth === 0) return [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.lock')) out.push(join(dir, e.name));
    else if (e.isDirectory() && e.name !== 'tmp' && !e.name.endsWith('.git')) out.push(...lockFilesUnder(join(dir, e.name), depth - 1));
  }
  return out;
}

/** `plan`: the committed manifest's (committedPlanOf), as `weft lock --check` judges. */
export async function lockFileCheck(plan: Plan, weft = 'weft'): Promise<Check> {
  const lock = await readLock(plan.workspace);
  if (!lock) return { name: 'weft.lock', status: 'warn', detail: 'there is no weft.lock: other machines may get other revisions', fix: `${weft} lock   (then commit weft.lock)` };
  const problems = lockStaleness(plan, lock);
  if (problems.length) return { name: 'weft.lock', status: 'warn', detail: `stale for ${problems.map((p) => p.name).join(', ')}`, fix: `${weft} lock   (or ${weft} up)` };
  return { name: 'weft.lock', status: 'ok', detail: 'covers every source' };
}

/** One check per source: missing, dirty, or not at the locked revision. */
export async function sourceChecks(plan: Plan, env: NodeJS.ProcessEnv, cacheDir: string, weft = 'weft'): Promise<Check[]> {
  const lock = await readLock(plan.workspace).catch(() => undefined);
  const checkouts = await readCheckouts(plan);
  const found = await runPool(
    checkouts.map((c, i) => ({ run: () => inspectCheckout(c.type, c.dir, { env, cacheDir }, activeSource(plan.sources[i]!, c)) })),
    { jobs: defaults.jobs, jobsPerHost: defaults.jobs },
  );
  const out: Check[] = await Promise.all(plan.sources.map(async (s, i): Promise<Check> => {
    const now = found[i]!;
    const name = `source ${s.name}`;
    const where = relative(plan.workspace, checkouts[i]!.dir) || '.';
    if (!now.present) return { name, status: 'warn', detail: `${where} is not checked out`, fix: `${weft} up ${s.name}` };
    // Its packs are the cache's files (hard links): damage there is damage here, which
    // `weft cache verify --repair` does not mend and a no-op weft up does not see.
    const gitDir = s.type === 'git' ? gitDirOf(checkouts[i]!.dir) : undefined;
    const damaged = gitDir && packDamage(gitDir);
    if (damaged) {
      return {
        name,
        status: 'fail',
        detail: `${where}: ${damaged}: git cannot read some of its objects`,
        fix: `\`git fsck\` there says what is lost; to start again, move ${where} away (your files stay in it) and run ${weft} up ${s.name}, after \`${weft} cache verify --repair\` if the cache's copy is damaged too`,
      };
    }
    if (now.problem) {
      const other = now.problem.startsWith('checkout of another repository');
      return { name, status: 'warn', detail: `${where}: ${now.problem}`, ...(other ? { fix: `move ${where} away (${weft} up ${s.name} then checks out the manifest's), or restore the URL in the manifest` } : {}) };
    }
    const locked = lock?.sources[s.name];
    const pin = locked?.commit ?? (s.type === 'svn' || s.type === 'hg' ? locked?.revision : undefined);
    const changed = now.modified || now.untracked ? `${now.modified} modified, ${now.untracked} untracked` : undefined;
    // An extracted archive has nothing to commit to: its changes are against what weft extracted.
    const uncommitted = changed && (s.type === 'archive' ? `${changed} since weft extracted it` : `${changed} (uncommitted)`);
    // A branch made active by weft switch is off its lock on purpose (as in weft status).
    const offLock = pin !== undefined && now.revision !== undefined && pin !== now.revision && !checkouts[i]!.switched;
    if (!offLock) {
      if (!uncommitted) return { name, status: 'ok', detail: `${where}${now.revision ? ` at ${now.revision.slice(0, 12)}` : ''}` };
      const fix = s.type === 'archive'
        ? 'weft up keeps them; before a new integrity is extracted there, copy them away (--force discards them)'
        : 'yours to commit when ready: weft up keeps them';
      return { name, status: 'warn', detail: `${where}: ${uncommitted}`, fix };
    }
    return offLockCheck(s, checkouts[i]!, name, where, now, pin, uncommitted, { env, cacheDir }, weft);
  }));
  for (const i of plan.pendingImports ?? []) {
    out.push({ name: `import ${i.from}`, status: 'warn', detail: `${i.file} of ${i.from} is not read yet (not checked out)`, fix: `${weft} up` });
  }
  return out;
}

/**
 * A checkout at another revision than weft.lock pins: says what work is there and the way
 * forward that keeps it. `weft lock` is not one: it keeps an entry that still matches the
 * manifest, so it would not record the checkout's commit.
 */
async function offLockCheck(
  s: Source,
  checkout: Checkout,
  name: string,
  where: string,
  now: Inspection,
  pin: string,
  uncommitted: string | undefined,
  ctx: InspectContext,
  weft: string,
): Promise<Check> {
  const rev = now.revision!.slice(0, 12);
  const notes = [`${now.branch ? `on branch ${now.branch} at ${rev}` : `at ${rev}`}, weft.lock says ${pin.slice(0, 12)}`];
  const dist = s.type === 'git' ? await lockDistance(checkout.dir, ctx, pin) : undefined;
  if (dist?.unpushed) notes.push(`${plural(dist.unpushed, 'local commit')} not pushed`);
  // hg: changesets committed here and never pushed are draft (svn commits go to the server).
  const drafts = s.type === 'hg' ? await hgUnpushed(checkout.dir, ctx) : undefined;
  if (drafts) notes.push(`${plural(drafts, 'local changeset')} not pushed (draft)`);
  if (uncommitted) notes.push(uncommitted);
  const detail = `${where}: ${notes.join('; ')}`;
  const warn = (fix: string): Check => ({ name, status: 'warn', detail, fix });
  if (dist?.unpushed || drafts || uncommitted) {
    return warn(
      `that is your work, and weft up keeps it where it is: ${uncommitted ? 'commit and push it' : 'push it'}, then \`${weft} update ${s.name}\` records upstream's new commit in weft.lock`,
    );
  }
  if (dist?.aheadOfLock) {
    // weft up moves back only a checkout still where it put it (see fetch/git/update.ts).
    return checkout.revision === now.revision
      ? warn(`weft.lock changed under it: \`${weft} up ${s.name}\` moves it back to the locked commit (nothing is lost: its commits are upstream's), or \`${weft} update ${s.name}\` locks what upstream has now`)
      : warn(`its commits are upstream's: \`${weft} update ${s.name}\` records it in weft.lock (weft up leaves it as is)`);
  }
  if (dist) return warn(`\`${weft} up ${s.name}\` moves it to the locked commit; nothing is lost (every commit there is upstream's)`);
  return warn(`weft status shows more; \`${weft} up ${s.name}\` moves it only when that discards nothing (it says what is in the way otherwise); \`${weft} update ${s.name}\` records what upstream has now`);
}
