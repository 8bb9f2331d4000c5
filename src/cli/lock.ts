import type { RefQuery } from '../fetch/index.js';
import { cacheDirFrom } from '../cache-problem.js';
import { defaults } from '../defaults.js';
import { NO_REF } from '../fetch/git/no-ref.js';
import { WeftError } from '../errors.js';
import { describeProblems, entryFor, heldForImports, entryMatches, lockPath, readLock, writeLock, type Lock, type LockEntry } from '../resolve/index.js';
import { existsSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../types.js';
import { flag, type CommandContext, type CommandSpec } from './command.js';
import { committedPlanFor, lockStalenessFor } from './plan.js';

const FULL_COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

export const command: CommandSpec = {
  name: 'lock',
  summary: 'write weft.lock without checking anything out, or check it',
  usage: 'lock [--check]',
  description: `
Records the exact revision of every source in weft.lock. Entries that still match the
manifest are kept; missing or changed ones are resolved against the remote (git: the
commit the ref names now, via git ls-remote; archives: their integrity; svn and hg: the
revision weft up checked out for that URL and ref, if any). With --check, writes nothing
and exits 1 when the lock is missing or stale (an entry missing, pinning another type,
URL, ref or integrity than the committed manifest asks for, or naming a source it no
longer has), as up --frozen judges.
When any ref cannot be resolved, weft.lock is left exactly as it was. Like weft up, it
takes the workspace's lock: while another weft works there, it waits.`,
  options: {
    check: { type: 'boolean', description: 'exit 1 (naming the entries) when weft.lock is missing or stale; write nothing' },
  },
  positionals: 'none',
  async run(ctx, args) {
    // weft.lock is committed: it pins the committed manifest, whatever weft.local.yaml says here.
    const plan = await committedPlanFor(ctx);
    if (flag(args, 'check')) {
      const old = await readLock(plan.workspace);
      const problems = await lockStalenessFor(ctx, plan, old);
      const pending = plan.pendingImports ?? [];
      if (ctx.json) {
        const stale = problems.map((p) => ({ name: p.name, why: p.why, ...(p.detail ? { detail: p.detail } : {}) }));
        ctx.stdout.write(JSON.stringify({ ok: !!old && problems.length === 0, file: lockPath(plan.workspace), missing: !old, stale, pendingImports: pending.map((i) => i.from) }, null, 2) + '\n');
      }
      if (!old) {
        ctx.stderr.write('weft.lock is missing: run "weft lock"\n');
        return 1;
      }
      if (problems.length) {
        ctx.stderr.write(`weft.lock is stale: ${problems.map((p) => p.name).join(', ')}\n${describeProblems(problems)}(run "weft lock" and commit weft.lock)\n`);
        return 1;
      }
      if (!ctx.quiet && !ctx.json) ctx.stdout.write('weft.lock is current\n');
      if (pending.length && !ctx.quiet) ctx.stderr.write(`note: imports not read yet (${pending.map((i) => i.from).join(', ')}): their sources are checked once "weft up" has fetched them\n`);
      return 0;
    }
    // Held from reading weft.lock to writing it: a `weft up` (or another `weft lock`) in this
    // workspace meanwhile would otherwise have one of the two writes lost.
    // Before the hold, whether or not a remote will be asked: a relative WEFT_CACHE_DIR fails every weft lock.
    const cacheDir = cacheDirFrom(ctx.env);
    const held = await holdWorkspace(ctx, plan.workspace);
    try {
      return await lockUnder(ctx, plan, await readLock(plan.workspace), cacheDir);
    } finally {
      held.release();
    }
  },
};

/** `weft lock` proper, with the workspace held and `old` read under that hold. */
async function lockUnder(ctx: CommandContext, plan: Plan, old: Lock | undefined, cacheDir: string): Promise<number> {
  // Loaded here so `weft lock --check` (a CI step on big manifests) skips the fetch layer.
  const { fingerprint, lsRemoteAll, readState } = await import('../fetch/index.js');
  const sources: Record<string, LockEntry> = {};
  const queries: RefQuery[] = [];
  const notes: string[] = [];
  const placed = readState(plan.workspace).sources;
  for (const s of plan.sources) {
    const prior = old?.sources[s.name];
    const fresh = entryFor(plan, s);
    if (entryMatches(s, prior) && (s.type === 'local' || s.type === 'archive' || prior.commit || prior.revision)) {
      sources[s.name] = { ...prior, defined: fresh.defined };
    } else if (s.type === 'git') {
      if (s.ref && FULL_COMMIT.test(s.ref)) sources[s.name] = entryFor(plan, s, s.ref);
      else queries.push({ name: s.name, url: s.url, ref: s.ref });
    } else if (s.type === 'svn' || s.type === 'hg') {
      // Only a checkout weft made for this very entry tells its revision: after the manifest
      // moved the ref (or URL), the one on disk is still the old ref's.
      const at = placed[s.name];
      const rev = at?.fingerprint === fingerprint(s) ? at.revision : undefined;
      if (rev) sources[s.name] = entryFor(plan, s, rev);
      else notes.push(`${s.name}: ${s.type} revision unknown until "weft up" checks it out; left out of the lock`);
    } else {
      sources[s.name] = fresh;
    }
  }
  const failed: WeftError[] = [];
  if (queries.length) {
    const answers = await lsRemoteAll(queries, { cacheDir, env: ctx.env, offline: false, defaults });
    for (const a of answers) {
      const s = plan.sources.find((x) => x.name === a.name)!;
      if ('commit' in a) sources[a.name] = entryFor(plan, s, a.commit);
      else {
        // A ref upstream lacks is the manifest's mistake: point at it, as weft up does.
        // One the remote itself refused (unreachable, no access, not a repository): at its URL.
        const loc = s.type !== 'git' ? undefined : a.error.code === NO_REF ? (s.refLoc ?? s.loc) : (s.fieldLocs?.['git'] ?? s.loc);
        failed.push(new WeftError(a.error.code, `${a.name}: ${a.error.message}`, { hint: a.error.hint, loc }));
      }
    }
  }
  for (const i of plan.pendingImports ?? []) notes.push(`import of ${i.file} from ${i.from} not read yet: run "weft up" to fetch ${i.from}, then "weft lock" again`);
  if (!ctx.quiet) for (const n of notes) ctx.stderr.write(`note: ${n}\n`);
  // All or nothing: a lock with some entries moved and others not would pin a mix no
  // manifest asked for, and a CI job diffing it would take it for the real thing.
  if (failed.length) {
    throw new WeftError(failed[0]!.code, failed[0]!.message, { loc: failed[0]!.loc, hint: failed[0]!.hint, more: failed.slice(1), exitCode: 1 });
  }
  const lock: Lock = { version: old?.version ?? 1, sources: { ...sources, ...heldForImports(plan, old) } };
  const wrote = await writeLock(plan.workspace, lock);
  if (ctx.json) ctx.stdout.write(JSON.stringify({ ok: true, file: lockPath(plan.workspace), wrote, notes }, null, 2) + '\n');
  else if (!ctx.quiet) ctx.stdout.write(wrote ? 'wrote weft.lock\n' : 'weft.lock unchanged\n');
  return 0;
}

/**
 * The workspace's lock (.weft/lock), as `weft up` takes it, saying so when it waits. A
 * .weft/ made only for it is removed again: `weft lock` in a fresh clone leaves weft.lock.
 */
async function holdWorkspace(ctx: CommandContext, workspace: string): Promise<{ release(): void }> {
  const { lockWorkspace, waitingForWorkspace } = await import('../fetch/workspace-lock.js');
  const dir = join(workspace, '.weft');
  const made = !existsSync(dir);
  const held = await lockWorkspace(workspace, {
    waitMs: defaults.workspaceLockWaitMs,
    staleMs: defaults.staleLockMs,
    onWait: (h) => {
      if (!ctx.quiet) ctx.stderr.write(`${waitingForWorkspace(h)}\n`);
    },
  });
  return {
    release() {
      held.release();
      if (made) {
        try {
          rmdirSync(dir);
        } catch {
          /* something else was put there meanwhile (a weft up): it stays */
        }
      }
    },
  };
}
