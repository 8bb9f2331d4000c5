import { formatLoc, isWeftError, type WeftError } from '../errors.js';
import { cacheDirFrom } from '../fetch/index.js';
import type { Plan } from '../types.js';
import { plural } from '../words.js';
import type { CommandSpec } from './command.js';
import { cacheChecks, diskCheck, gitChecks, hookCheck, type Check } from './doctor-system.js';
import { lockFileCheck, requiresChecks, sourceChecks, staleLockChecks, trustCheck } from './doctor-workspace.js';
import { committedPlanOf, planFor } from './plan.js';
import { weftFor } from '../shell/index.js';

export const command: CommandSpec = {
  name: 'doctor',
  summary: 'check prerequisites, the cache, the shell hook and this workspace',
  usage: 'doctor [--json]',
  description: `
Checks what weft needs and says how to fix what is wrong, one line per check (ok, warn,
fail): the tools in \`requires:\`, git's version and configuration (core.autocrlf, a
credential helper), that the cache is writable and how big it is, free disk space, stale
lock files left by a crashed weft, whether the shell hook is installed, whether this
workspace is trusted, whether weft.lock is current, and each source's checkout (missing,
dirty, not at the locked revision, a git pack damaged). Outside a workspace only the machine is checked.
Exits 1 when any check fails; warnings alone exit 0. With -q, only the checks that warn or
fail are printed, with their fixes: nothing at all when everything is ok.`,
  options: {},
  positionals: 'none',
  async run(ctx) {
    const checks: Check[] = [];
    // A WEFT_CACHE_DIR weft cannot use (a relative path) is one failed check, with its fix:
    // the checks that need the cache are left out, the rest still run.
    let cacheDir: string | undefined;
    try {
      cacheDir = cacheDirFrom(ctx.env);
    } catch (err) {
      if (!isWeftError(err) || err.code !== 'WEFT_E_CACHE_DIR') throw err;
      checks.push({ name: 'cache', status: 'fail', detail: `${err.message}; the checks that use the cache (requires, sources, stale locks) were not run`, ...(err.hint && { fix: err.hint }) });
    }
    let plan: Plan | undefined;
    try {
      plan = await planFor(ctx);
    } catch (err) {
      if (!isWeftError(err)) throw err;
      checks.push(...manifestChecks(err));
    }
    if (plan && cacheDir) checks.push(...(await requiresChecks(plan, ctx.env, cacheDir)));
    checks.push(...(await gitChecks(ctx.env)));
    if (cacheDir) checks.push(...cacheChecks(cacheDir), diskCheck(cacheDir, 'the cache'));
    if (plan) checks.push(diskCheck(plan.root, 'checkouts'));
    checks.push(hookCheck(ctx.env));
    if (plan) {
      if (cacheDir) checks.push(...staleLockChecks(plan.workspace, cacheDir));
      // The commands a fix gives name the manifest when a plain weft would not find it from here.
      const weft = weftFor(plan, process.cwd());
      checks.push(trustCheck(plan, ctx.env, weft));
      checks.push(await committedPlanOf(ctx, plan).then((p) => lockFileCheck(p, weft)).catch((err: unknown) => lockReadFailure(err)));
      if (cacheDir) checks.push(...(await sourceChecks(plan, ctx.env, cacheDir, weft)));
    }
    const failed = checks.some((c) => c.status === 'fail');
    if (ctx.json) {
      ctx.stdout.write(JSON.stringify({ ok: !failed, checks }, null, 2) + '\n');
    } else {
      ctx.stdout.write(render(ctx.quiet ? checks.filter((c) => c.status !== 'ok') : checks, ctx.color, ctx.quiet));
    }
    return failed ? 1 : 0;
  },
};

/** Every problem of a manifest that does not load, each where and what, as `weft up` says them. */
function manifestChecks(err: WeftError): Check[] {
  if (err.code === 'WEFT_E_MANIFEST_NOT_FOUND') return [{ name: 'manifest', status: 'warn', detail: err.message.split('\n')[0]!, ...(err.hint && { fix: err.hint }) }];
  return err.all().map((e) => ({
    name: 'manifest',
    status: 'fail',
    detail: `${e.loc ? `${formatLoc(e.loc)}: ` : ''}${e.code}: ${e.message.split('\n')[0]!}`,
    ...(e.hint && { fix: e.hint }),
    code: e.code,
    ...(e.loc && { file: e.loc.file, line: e.loc.line, col: e.loc.col }),
  }));
}

function lockReadFailure(err: unknown): Check {
  if (!isWeftError(err)) throw err;
  return { name: 'weft.lock', status: 'fail', detail: err.message, ...(err.hint && { fix: err.hint }) };
}

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;
const COLOR = { ok: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m' } as const;

function render(checks: Check[], color: boolean, quiet: boolean): string {
  if (checks.length === 0) return quiet ? '' : 'nothing checked\n';
  const w = Math.max(...checks.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of checks) {
    const mark = color ? `${COLOR[c.status]}${MARK[c.status]}\x1b[0m` : MARK[c.status];
    lines.push(`${mark}  ${c.name.padEnd(w)}  ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`      ${' '.repeat(w)}  fix: ${c.fix}`);
  }
  const n = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  lines.push(`${n('fail')} failed, ${plural(n('warn'), 'warning')}`);
  return lines.join('\n') + '\n';
}
