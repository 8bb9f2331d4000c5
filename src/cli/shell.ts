import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckouts } from '../fetch/index.js';
import { applyEnv, buildEnvModel, isTrusted, refuseUntrustedStartupVars, render, runCommand } from '../shell/index.js';
import { promptMarker, subshellKind, subshellLaunch } from '../shell/subshell/index.js';
import { isWeftError, WeftError } from '../errors.js';
import { flag, type CommandSpec } from './command.js';
import { planFor } from './plan.js';

/** Set in the shell weft starts: its workspace, so a nested `weft shell` can warn. */
const NESTED_VAR = 'WEFT_SHELL';

/**
 * The shell is $SHELL, which the user did not type here (a stale one, or one inherited into a
 * container that lacks it): say so, and how to start a shell anyway.
 */
function shellStartError(shell: string, err: unknown): unknown {
  if (!isWeftError(err)) return err;
  const why =
    err.code === 'WEFT_E_RUN_NOT_FOUND' ? (shell.includes('/') ? 'which does not exist' : "which is on no directory of the workspace's PATH")
    : err.code === 'WEFT_E_RUN_NOT_EXECUTABLE' ? 'which is not executable'
    : undefined;
  if (why === undefined) return err;
  return new WeftError('WEFT_E_SHELL_NOT_FOUND', `cannot start your shell: $SHELL is ${shell}, ${why}`, {
    exitCode: err.exitCode,
    cause: err,
    hint: 'set SHELL to an installed shell for this command (e.g. SHELL=/bin/bash weft shell) or in your login settings, or use weft run -- CMD',
  });
}

export const command: CommandSpec = {
  name: 'shell',
  summary: 'start your shell with the environment',
  usage: 'shell [--no-prompt]',
  description: `
Starts $SHELL (bash, zsh and fish read your own rc files first; other shells get the
environment and, if they read $ENV, the prompt marker) with the workspace's environment
and "(weft:NAME) " in front of the prompt. exit leaves it; weft exits with the shell's
exit code. --no-prompt, or WEFT_NO_PROMPT=1, leaves the prompt alone.`,
  options: {
    'no-prompt': { type: 'boolean', description: 'do not add (weft:NAME) to the prompt' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const plan = await planFor(ctx);
    refuseUntrustedStartupVars(plan, () => isTrusted(plan, ctx.env));
    const model = buildEnvModel(plan, await readCheckouts(plan));
    if (ctx.env[NESTED_VAR] === plan.workspace) {
      ctx.stderr.write(`weft: already inside a weft shell of ${plan.name} (${plan.workspace}); starting another one inside it ("exit" goes back)\n`);
    }
    const shell = ctx.env['SHELL'] || '/bin/sh';
    const noPrompt = flag(args, 'no-prompt') || (ctx.env['WEFT_NO_PROMPT'] ?? '') !== '' && ctx.env['WEFT_NO_PROMPT'] !== '0';
    const dir = mkdtempSync(join(tmpdir(), 'weft-shell-'));
    try {
      const launch = subshellLaunch({
        shell,
        dir,
        envCode: render(model, subshellKind(shell)),
        marker: noPrompt ? undefined : promptMarker(plan.name),
        env: ctx.env,
      });
      for (const [name, text] of Object.entries(launch.files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
      const env = applyEnv(model, ctx.env);
      env[NESTED_VAR] = plan.workspace;
      for (const [k, v] of Object.entries(launch.env)) {
        if (v === undefined) delete env[k];
        else env[k] = v;
      }
      return await runCommand(launch.argv, env, { cwd: ctx.cwd }).catch((err: unknown) => {
        throw shellStartError(shell, err);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
