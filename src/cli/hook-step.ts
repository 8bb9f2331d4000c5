// `weft hook --apply` / `--revert`: the JSON step the nu and PowerShell hooks load (see
// shell/hook/step.ts). Like the bash hook's `weft trust --status`, a workspace whose
// manifest cannot be read is not applied, and the step says why (its error's first line,
// which the hook prints, as bash's does); the model applied is the one `weft up`
// rendered into .weft/env/env.json, as the other hooks source .weft/env/<shell>, when it was
// rendered for this workspace's directory and no manifest file was edited since.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { formatError, isWeftError } from '../errors.js';
import { redact } from '../redact.js';
import { ENV_JSON, buildEnvModel, editedSinceRendered, isTrusted, type EnvModel } from '../shell/index.js';
import { hookStep } from '../shell/hook/step.js';
import { isVarName } from '../shell/record.js';
import type { Plan } from '../types.js';
import type { CommandContext } from './command.js';
import { planFor } from './plan.js';

function renderedModel(workspace: string): EnvModel | undefined {
  try {
    const m = JSON.parse(readFileSync(join(workspace, '.weft', 'env', ENV_JSON), 'utf8')) as Partial<EnvModel>;
    const ok = typeof m.workspace === 'string' && typeof m.name === 'string' && Array.isArray(m.vars) && m.vars.every((v: unknown) => typeof v === 'object' && v !== null && isVarName(String((v as { name?: unknown }).name)));
    return ok ? (m as EnvModel) : undefined;
  } catch {
    return undefined;
  }
}

function sameDir(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** What --apply applies: the model when trusted, null when not, and why when the manifest cannot be read. */
async function applying(ctx: CommandContext): Promise<{ apply: EnvModel | null; problem?: string }> {
  let plan: Plan;
  try {
    plan = await planFor(ctx);
    if (!isTrusted(plan, ctx.env)) return { apply: null };
  } catch (err) {
    return { apply: null, problem: problemLine(err) };
  }
  const rendered = renderedModel(plan.workspace);
  // Rendered for this directory, not for the one a copied or moved workspace came from, and
  // from the manifest as it is now: an edit, once trusted, applies the edited values.
  if (rendered !== undefined && sameDir(rendered.workspace, plan.workspace) && !editedSinceRendered(plan.workspace, plan.files)) return { apply: rendered };
  // env.json missing, damaged, rendered elsewhere or stale: what `weft env` would print.
  const { readCheckouts } = await import('../fetch/index.js');
  return { apply: buildEnvModel(plan, await readCheckouts(plan)) };
}

/** An error's first line as the top-level handler prints it, without `weft: `. */
function problemLine(err: unknown): string {
  const text = isWeftError(err) ? formatError(err) : `internal error: ${redact(err instanceof Error ? err.message : String(err))}`;
  return text.split('\n')[0]!.replace(/^weft: /, '');
}

export async function printHookStep(ctx: CommandContext, opts: { apply: boolean; revert: boolean }): Promise<number> {
  const applied = opts.apply ? await applying(ctx) : {};
  ctx.stdout.write(JSON.stringify(hookStep(ctx.env, { revert: opts.revert, ...applied })) + '\n');
  return 0;
}
