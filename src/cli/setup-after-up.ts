// `weft up`'s last step: run the due setup steps of a trusted workspace, or say why not.
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { defaults } from '../defaults.js';
import { formatError, WeftError } from '../errors.js';
import { redact } from '../redact.js';
import { buildEnvModel, trustCommand, trustStatus, weftFor } from '../shell/index.js';
import { dueSteps, runSetup, type StepOutcome } from '../shell/setup/index.js';
import type { Checkout, Plan } from '../types.js';
import { flag, type CommandContext, type ParsedArgs } from './command.js';
import { plural } from '../words.js';

const TAIL_LINES = 20;

/** What became of one due setup step, for `weft up --json`. */
export interface SetupStepReport {
  source: string;
  run: string;
  /** 'skipped': --no-setup; 'untrusted': the workspace is not trusted; 'blocked': an earlier step failed. */
  status: 'ok' | 'failed' | 'blocked' | 'skipped' | 'untrusted';
  exitCode?: number | null;
}

export interface SetupReport {
  /** Setup failed, or was refused without a terminal: `weft up` exits 1. */
  failed: boolean;
  steps: SetupStepReport[];
  /** Why it failed, as `--json` prints errors. */
  error?: WeftError;
}

/** Runs the due setup steps, or says why not. */
export async function setupAfterUp(ctx: CommandContext, plan: Plan, checkouts: Checkout[], args: ParsedArgs, only: string[], signal?: AbortSignal): Promise<SetupReport> {
  const steps = dueSteps(plan, checkouts, only.length ? new Set(only) : undefined);
  const report = (failed: boolean, status: SetupStepReport['status'] | ((i: number) => SetupStepReport), error?: WeftError): SetupReport => ({
    failed,
    steps: steps.map((s, i) => (typeof status === 'function' ? status(i) : { source: s.source, run: redact(s.run), status })),
    ...(error ? { error } : {}),
  });
  if (steps.length === 0) return report(false, 'ok');
  const say = (text: string) => {
    if (!ctx.quiet) ctx.stderr.write(text);
  };
  const names = [...new Set(steps.map((s) => s.source))].join(', ');
  if (flag(args, 'no-setup')) {
    say(`weft: --no-setup: skipped ${plural(steps.length, 'setup step')} (${names})\n`);
    return report(false, 'skipped');
  }
  const trust = trustStatus(plan, ctx.env);
  if (!trust.trusted) {
    // Trusted before: say what changed, or "weft trust" just run (then an imported
    // manifest read for the first time) reads as trust not working.
    const since = trust.unknown ? '' : `: ${trust.changed.map((f) => inWorkspace(plan, f)).join(', ')} changed since "weft trust"`;
    const what = `${plural(steps.length, 'setup step')} not run (${names}): ${plan.manifest} is not trusted${since}`;
    // Never a prompt: on a terminal the user reads how to go on; elsewhere (CI, scripts)
    // the run fails closed with the exact commands.
    if (ctx.stderr.isTTY) {
      const w = weftFor(plan, process.cwd());
      say(`weft: ${what}\n  review it, then run "${w} trust" and "${w} up" again\n`);
      return report(false, 'untrusted');
    }
    const error = new WeftError('WEFT_E_UNTRUSTED_SETUP', what, { hint: `review it, then run: ${trustCommand(plan)} && ${weftFor(plan)} up` });
    ctx.stderr.write(formatError(error) + '\n');
    return report(true, 'untrusted', error);
  }
  const timeoutMs = Number(ctx.env['WEFT_SETUP_TIMEOUT_MS']) > 0 ? Number(ctx.env['WEFT_SETUP_TIMEOUT_MS']) : defaults.setupTimeoutMs;
  const outcomes = await runSetup(plan, buildEnvModel(plan, checkouts), steps, {
    baseEnv: ctx.env,
    timeoutMs,
    failFast: flag(args, 'fail-fast'),
    signal,
    onStart: (s) => say(`weft: setup ${s.source}: ${redact(s.run)}\n`),
    onDone: (o) => {
      if (o.status === 'failed') ctx.stderr.write(failureText(o, timeoutMs));
      else if (o.status === 'ok' && ctx.verbose && o.result?.output) say(indent(redact(o.result.output)));
    },
  });
  const failed = outcomes.filter((o) => o.status === 'failed');
  const blocked = outcomes.filter((o) => o.status === 'blocked');
  const ran = outcomes.length - blocked.length;
  const each = (i: number): SetupStepReport => {
    const o = outcomes[i]!;
    return { source: o.source, run: redact(o.run), status: o.status, ...(o.result ? { exitCode: o.result.code } : {}) };
  };
  if (failed.length === 0) {
    say(`setup: ${plural(ran, 'step')} ran\n`);
    return report(false, each);
  }
  const bad = [...new Set(failed.map((o) => o.source))].join(', ');
  const what = `setup: ${plural(ran, 'step')} ran, ${failed.length} failed (${bad})${blocked.length ? `; ${blocked.length} not run after the failure` : ''}`;
  ctx.stderr.write(`${what}\n`);
  return report(true, each, new WeftError('WEFT_E_SETUP_FAILED', what, { hint: 'fix what the step reports (its output is above), then run weft up again: steps still due run then' }));
}

function failureText(o: StepOutcome, timeoutMs: number): string {
  const r = o.result!;
  const secs = (r.durationMs / 1000).toFixed(1);
  const why = r.error !== undefined ? `could not start: ${r.error}`
    : r.timedOut ? `timed out after ${timeoutMs / 1000}s and was killed`
    : r.signal ? `was killed by ${r.signal}` : `exited with ${r.code} after ${secs}s`;
  const lines = r.output.replace(/\n$/, '').split('\n');
  const tail = lines.slice(-TAIL_LINES).join('\n');
  const head = `weft: setup ${o.source} failed: \`${redact(o.run)}\` ${why} (in ${o.cwd})\n`;
  if (!tail) return head;
  const note = lines.length > TAIL_LINES ? `  … (last ${TAIL_LINES} of ${lines.length} lines)\n` : '';
  return head + note + indent(redact(tail) + '\n');
}

/** A file the trust record names (a realpath), relative to the workspace when inside it. */
function inWorkspace(plan: Plan, file: string): string {
  const rel = relative(realpathSync(plan.workspace), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function indent(text: string): string {
  return text.replace(/^/gm, '  | ').replace(/ {2}\| $/, '');
}
