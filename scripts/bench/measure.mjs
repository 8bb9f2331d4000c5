// Rounds of timed runs, contenders interleaved and their order rotated each round so
// drift (page cache, CPU frequency, a noisy neighbour) does not favour one of them.

export function median(xs) {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * contenders: [{name, prepare?(round), run(round) -> ms, verify?(round)}]. `run` returns
 * the measured milliseconds (it times itself, so untimed set-up stays out of the number).
 * A contender that throws is dropped from later rounds; its error is kept. The first
 * `warmup` rounds run and verify like the others but their times are not kept.
 * Returns {name: {times, median, error, warmup}}.
 */
export async function rounds(n, contenders, log, { warmup = 0 } = {}) {
  const results = Object.fromEntries(contenders.map((c) => [c.name, { times: [], median: undefined, error: undefined, warmup: [] }]));
  for (let round = 0; round < n + warmup; round++) {
    const order = rotate(contenders, round);
    const warming = round < warmup;
    for (const c of order) {
      const r = results[c.name];
      if (r.error) continue;
      try {
        if (c.prepare) await c.prepare(round);
        const ms = await c.run(round);
        if (c.verify) await c.verify(round);
        (warming ? r.warmup : r.times).push(ms);
        log?.(`    ${c.name}: ${fmtMs(ms)}${warming ? ' (warm-up, not counted)' : ''}`);
      } catch (err) {
        r.error = err instanceof Error ? err.message : String(err);
        log?.(`    ${c.name}: failed: ${firstLine(r.error)}`);
      }
    }
  }
  for (const r of Object.values(results)) r.median = median(r.times);
  return results;
}

/** A contender's result as a table cell: its median, its samples, or its error. */
export function measured(r) {
  return { value: r.median ?? null, error: r.error, times: r.times };
}

/** (max − min) / median: how far to trust a ratio built on this median. */
export function spread(times) {
  const m = median(times ?? []);
  if (!m || times.length < 2) return undefined;
  return (Math.max(...times) - Math.min(...times)) / m;
}

function rotate(xs, k) {
  const i = k % xs.length;
  return [...xs.slice(i), ...xs.slice(0, i)];
}

export function fmtMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '—';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function firstLine(s) {
  return String(s).split('\n')[0];
}
