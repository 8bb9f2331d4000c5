// Scenario 2: `weft env` against the floor it cannot beat, a bare node start.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measured, rounds } from '../measure.mjs';
import { describeFailure, run } from '../run.mjs';
import { makeRow } from '../table.mjs';

const LOCALS = 5;

async function setUp(ctx) {
  const ws = join(ctx.work, 'env-ws');
  const lines = ['weft: 1', 'name: bench-env', 'sources:'];
  for (let i = 0; i < LOCALS; i++) {
    await mkdir(join(ws, `lib${i}`, 'bin'), { recursive: true });
    lines.push(`  lib${i}:`, `    local: lib${i}`, '    env:', '      PATH: bin', '      PYTHONPATH: .');
  }
  lines.push('env:', '  WEFT_BENCH_MARK: weft', '');
  await writeFile(join(ws, 'weft.yaml'), lines.join('\n'));
  await ctx.weftOk(['-C', ws, 'up']);
  return ws;
}

export async function envScenario(ctx) {
  const reps = ctx.config.envRepeats;
  ctx.log(`  env: ${reps} runs each, interleaved`);
  let ws;
  let setupError;
  try {
    ws = await setUp(ctx);
  } catch (err) {
    setupError = err.message;
    ctx.log(`    weft: failed: ${err.message.split('\n')[0]}`);
  }
  const node = {
    name: "node -e ''",
    run: async () => {
      const r = await run(process.execPath, ['-e', ''], { env: ctx.baseEnv });
      if (r.code !== 0) throw new Error(describeFailure('node', ['-e', ''], r));
      return r.ms;
    },
  };
  const weft = {
    name: 'weft env',
    run: async () => {
      const r = await ctx.weftOk(['env', '--shell', 'bash'], { cwd: ws });
      if (!r.stdout.includes('WEFT_BENCH_MARK')) throw new Error(`weft env printed no WEFT_BENCH_MARK:\n${r.stdout.slice(0, 500)}`);
      return r.ms;
    },
  };
  // One warm-up each, untimed, so the first sample does not pay for a cold page cache.
  await run(process.execPath, ['-e', ''], { env: ctx.baseEnv });
  if (ws) await ctx.weft(['env', '--shell', 'bash'], { cwd: ws });
  const res = await rounds(reps, ws ? [node, weft] : [node], null);
  const w = ws ? measured(res['weft env']) : { value: null, error: setupError };
  ctx.log(`    node -e '': ${fmt(res["node -e ''"].median)}; weft env: ${ws ? fmt(res['weft env'].median) : 'failed'}`);
  return {
    rows: [makeRow({ scenario: 'weft env', weft: w, peer: { name: "node -e ''", ...measured(res["node -e ''"]) }, target: { kind: 'ratio', max: 1.3 } })],
    details: { repeats: reps, ms: res },
  };
}

function fmt(ms) {
  return ms === undefined ? '—' : `${ms.toFixed(1)} ms`;
}
