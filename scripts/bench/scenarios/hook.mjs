// Scenario 1: what the prompt hook costs per prompt when nothing changed. One bash
// process per measurement runs the installed PROMPT_COMMAND in a loop and times the loop
// with $EPOCHREALTIME, so neither process start nor the bench's own timing is counted.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measured, rounds } from '../measure.mjs';
import { run, runOk, describeFailure } from '../run.mjs';
import { makeRow } from '../table.mjs';

// PROMPT_COMMAND may be an array since bash 5.1; run every element, as bash does.
const LOOP = `
__bench_prompt() { local __c; for __c in "\${PROMPT_COMMAND[@]}"; do eval "$__c"; done; }
cd "$BENCH_WS" || exit 5
__bench_prompt
__bench_prompt
if [[ -n "$BENCH_EXPECT" && "\${WEFT_BENCH_MARK-}" != "$BENCH_EXPECT" ]]; then
  echo "the hook did not activate in $BENCH_WS: WEFT_BENCH_MARK='\${WEFT_BENCH_MARK-}', expected '$BENCH_EXPECT'" >&2
  exit 3
fi
__t0=$EPOCHREALTIME
for ((__i = 0; __i < BENCH_ITER; __i++)); do __bench_prompt; done
__t1=$EPOCHREALTIME
if [[ -n "$BENCH_EXPECT" && "\${WEFT_BENCH_MARK-}" != "$BENCH_EXPECT" ]]; then
  echo "the environment was lost during the loop" >&2
  exit 4
fi
echo "BENCH $__t0 $__t1"
`;

/** Per-prompt ms from one bash run; `install` is the bash code that sets PROMPT_COMMAND. */
async function perPrompt(ctx, { install, ws, expect, env }) {
  const script = `${install}\n${LOOP}`;
  // -i: a prompt hook lives in an interactive shell and may rightly check $- for it.
  const r = await run('bash', ['--norc', '--noprofile', '-i', '-c', script], {
    env: { ...env, HISTFILE: '/dev/null', BENCH_WS: ws, BENCH_EXPECT: expect ?? '', BENCH_ITER: String(ctx.config.hookIterations) },
    timeoutMs: 5 * 60_000,
  });
  const m = /BENCH (\d+\.\d+) (\d+\.\d+)/.exec(r.stdout);
  if (r.code !== 0 || !m) {
    // job-control chatter of a terminal-less interactive bash is not the failure
    const stderr = r.stderr.split('\n').filter((l) => !/terminal process group|no job control/.test(l)).join('\n');
    throw new Error(describeFailure('bash', ['-i', '-c', '<hook loop>'], { ...r, stderr }));
  }
  return ((Number(m[2]) - Number(m[1])) * 1000) / ctx.config.hookIterations;
}

async function setUpWeft(ctx) {
  const ws = join(ctx.work, 'hook-weft');
  await mkdir(join(ws, 'tools', 'bin'), { recursive: true });
  await writeFile(join(ws, 'weft.yaml'), [
    'weft: 1',
    'name: bench-hook',
    'sources:',
    '  tools:',
    '    local: tools',
    '    env:',
    '      PATH: bin',
    'env:',
    '  WEFT_BENCH_MARK: weft',
    '',
  ].join('\n'));
  await ctx.weftOk(['-C', ws, 'up']);
  await ctx.weftOk(['-C', ws, 'trust']);
  const hook = await ctx.weftOk(['hook', 'bash']);
  if (!hook.stdout.trim()) throw new Error('weft hook bash printed nothing');
  return ws;
}

async function setUpDirenv(ctx) {
  const ws = join(ctx.work, 'hook-direnv');
  await mkdir(ws, { recursive: true });
  await writeFile(join(ws, '.envrc'), 'export WEFT_BENCH_MARK=direnv\nPATH_add bin\n');
  await runOk('direnv', ['allow', ws], { env: ctx.baseEnv });
  return ws;
}

export async function hookScenario(ctx) {
  const n = ctx.config.runs;
  const env = ctx.baseEnv;
  const log = ctx.log;
  log(`  hook: ${ctx.config.hookIterations} prompts per bash process, ${n} processes each`);

  let weftWs;
  let weftSetupError;
  try {
    weftWs = await setUpWeft(ctx);
  } catch (err) {
    weftSetupError = `hook: not available: ${err.message}`;
    log(`    ${weftSetupError.split('\n')[0]}`);
  }
  let direnvWs;
  let direnvSetupError;
  try {
    direnvWs = await setUpDirenv(ctx);
  } catch (err) {
    direnvSetupError = err.message;
  }

  const contenders = [
    { name: 'empty PROMPT_COMMAND', run: () => perPrompt(ctx, { install: 'PROMPT_COMMAND=', ws: ctx.work, env }) },
  ];
  if (weftWs) {
    contenders.push({ name: 'weft hook', run: () => perPrompt(ctx, { install: 'eval "$(weft hook bash)"', ws: weftWs, expect: 'weft', env }) });
  }
  if (direnvWs) {
    contenders.push({ name: 'direnv', run: () => perPrompt(ctx, { install: 'eval "$(direnv hook bash)"', ws: direnvWs, expect: 'direnv', env }) });
  }
  const res = await rounds(n, contenders, (l) => log(l));
  const weft = weftWs ? measured(res['weft hook']) : { value: null, error: weftSetupError };
  const direnv = direnvWs ? measured(res.direnv) : { value: null, error: direnvSetupError };
  const empty = res['empty PROMPT_COMMAND'];
  const rows = [
    makeRow({ scenario: 'hook per prompt (unchanged)', weft, peer: { name: 'direnv export bash', ...direnv }, target: { kind: 'faster', min: 4 } }),
    makeRow({ scenario: 'hook per prompt, absolute', weft, target: { kind: 'below', max: 1, unit: 'ms' }, note: empty.median !== undefined ? `an empty PROMPT_COMMAND costs ${(empty.median * 1000).toFixed(1)} µs per prompt in the same loop` : undefined }),
  ];
  return { rows, details: { iterations: ctx.config.hookIterations, perPromptMs: res } };
}

