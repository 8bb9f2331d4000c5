// Setup steps after `weft up`: which are due, in which order, run only in a trusted
// workspace, with the workspace environment. Returns plain data; the CLI prints it.
import { statSync } from 'node:fs';
import { withActiveDirs } from '../../source-template.js';
import type { Checkout, Plan, Source } from '../../types.js';
import { applyEnv } from '../apply.js';
import { activeDirs, type EnvModel } from '../model.js';
import { isDue, stepKeys, type CheckoutIdentity } from './due.js';
import { dependencyOrder } from './order.js';
import { runStep, type StepResult } from './run-step.js';
import { readStamps, stampFor, writeStamp } from './stamps.js';

export interface DueStep {
  source: string;
  key: string;
  run: string;
  cwd: string;
  identity: CheckoutIdentity;
}

export interface StepOutcome extends DueStep {
  /** 'blocked': not run because an earlier step of the source, or a dependency's, failed. */
  status: 'ok' | 'failed' | 'blocked';
  result?: StepResult;
}

/** Only sources whose checkout is in place: failed ones have nothing to set up. */
const usable = (c: Checkout | undefined): c is Checkout => c !== undefined && c.status !== 'failed';

function identityOf(c: Checkout): CheckoutIdentity | undefined {
  const st = statSync(c.dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return undefined;
  return { dir: c.dir, ino: st.ino, revision: c.revision, created: c.status === 'cloned' };
}

/** The steps due now, in run order (dependencies first, each source's steps in order). */
export function dueSteps(plan: Plan, checkouts: Checkout[], only?: Set<string>): DueStep[] {
  const byName = new Map(checkouts.map((c) => [c.name, c]));
  const dirs = activeDirs(checkouts);
  const stamps = readStamps(plan.workspace);
  const out: DueStep[] = [];
  for (const source of dependencyOrder(plan.sources)) {
    if (source.setup.length === 0 || (only && !only.has(source.name))) continue;
    const checkout = byName.get(source.name);
    if (!usable(checkout)) continue;
    const identity = identityOf(checkout);
    if (!identity) continue;
    const keys = stepKeys(source.setup);
    source.setup.forEach((step, i) => {
      const key = keys[i]!;
      // Keyed by the command as the manifest gives it; run with each `${source.NAME}` naming
      // the directory in use, as the cwd and the environment do.
      if (isDue(step, stampFor(stamps[source.name]?.[key], identity.dir), identity)) out.push({ source: source.name, key, run: withActiveDirs(step.run, step.template, dirs), cwd: checkout.dir, identity });
    });
  }
  return out;
}

export interface SetupOptions {
  baseEnv: NodeJS.ProcessEnv;
  timeoutMs: number;
  failFast: boolean;
  onStart?: (step: DueStep) => void;
  onDone?: (outcome: StepOutcome) => void;
  /** The run's interrupt: the running step is stopped and no further step starts (they stay due). */
  signal?: AbortSignal;
}

/** Runs `steps` one at a time; a failure blocks the rest of its source and its dependents. */
export async function runSetup(plan: Plan, model: EnvModel, steps: DueStep[], opts: SetupOptions): Promise<StepOutcome[]> {
  const env = applyEnv(model, opts.baseEnv);
  const sources = new Map<string, Source>(plan.sources.map((s) => [s.name, s]));
  const failed = new Set<string>();
  const blockedBy = (name: string): boolean => {
    if (failed.has(name)) return true;
    return (sources.get(name)?.depends ?? []).some(blockedBy);
  };
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    if (opts.signal?.aborted) break;
    if ((opts.failFast && failed.size > 0) || blockedBy(step.source)) {
      outcomes.push({ ...step, status: 'blocked' });
      opts.onDone?.(outcomes.at(-1)!);
      continue;
    }
    opts.onStart?.(step);
    const result = await runStep(step.run, { cwd: step.cwd, env: { ...env, WEFT_SOURCE: step.source }, timeoutMs: opts.timeoutMs, signal: opts.signal });
    const ok = result.code === 0 && !result.timedOut && result.error === undefined;
    if (ok) {
      writeStamp(plan.workspace, step.source, step.key, {
        ...(step.identity.revision !== undefined ? { revision: step.identity.revision } : {}),
        dir: step.identity.dir,
        ino: step.identity.ino,
        ranAt: new Date().toISOString(),
      });
    } else {
      failed.add(step.source);
    }
    outcomes.push({ ...step, status: ok ? 'ok' : 'failed', result });
    opts.onDone?.(outcomes.at(-1)!);
  }
  return outcomes;
}
