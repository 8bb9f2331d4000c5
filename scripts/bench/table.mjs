// Result rows (one per target in the performance budget) and their text table.
import { fmtMs, firstLine, spread } from './measure.mjs';

/**
 * target kinds:
 *   {kind: 'ratio', max}    weft/peer must be ≤ max
 *   {kind: 'faster', min}   peer/weft must be ≥ min
 *   {kind: 'below', max, unit: 'ms'|'MB'}   weft's own value must be < max (no peer)
 * weft / peer: {value, error}; value in ms (or MB for unit 'MB').
 */
export function makeRow({ scenario, weft, peer, target, note }) {
  const row = {
    scenario,
    weft: weft?.value ?? null,
    weftError: weft?.error ?? null,
    peerName: peer?.name ?? null,
    peer: peer?.value ?? null,
    peerError: peer?.error ?? null,
    target: targetText(target),
    targetSpec: target,
    ratio: null,
    ratioText: '',
    result: '',
    note: note ?? null,
    weftTimes: weft?.times ?? null,
    peerTimes: peer?.times ?? null,
    spread: [spread(weft?.times), spread(peer?.times)],
  };
  const w = row.weft;
  if (row.weftError || w === null) {
    row.result = 'failed';
    return row;
  }
  if (target.kind === 'below') {
    row.result = w < target.max ? 'PASS' : 'MISS';
    return row;
  }
  const p = row.peer;
  if (row.peerError || p === null) {
    row.result = 'no peer';
    return row;
  }
  if (target.kind === 'ratio') {
    row.ratio = w / p;
    row.ratioText = `${row.ratio.toFixed(2)}×`;
    row.result = row.ratio <= target.max ? 'PASS' : 'MISS';
  } else {
    row.ratio = p / w;
    row.ratioText = row.ratio >= 1 ? `${row.ratio.toFixed(1)}× faster` : `${(w / p).toFixed(1)}× slower`;
    row.result = row.ratio >= target.min ? 'PASS' : 'MISS';
  }
  return row;
}

function targetText(t) {
  if (t.kind === 'below') return `< ${t.max} ${t.unit}`;
  if (t.kind === 'ratio') return `≤ ${t.max}×`;
  return `≥ ${t.min}× faster`;
}

function fmtValue(v, unit) {
  if (v === null || v === undefined) return '—';
  return unit === 'MB' ? `${v.toFixed(0)} MB` : fmtMs(v);
}

export function renderTable(rows) {
  const header = ['scenario', 'weft', 'peer', 'peer time', 'ratio', 'target', 'result', 'spread w/p'];
  const body = rows.map((r) => {
    const unit = r.targetSpec.unit;
    return [
      r.scenario,
      r.weftError ? 'failed' : fmtValue(r.weft, unit),
      r.peerName ?? '',
      r.peerName ? (r.peerError ? 'failed' : fmtValue(r.peer, unit)) : '',
      r.ratioText,
      r.target,
      r.result,
      (r.peerName ? r.spread : r.spread.slice(0, 1)).map((x) => (x === undefined ? '—' : `${Math.round(x * 100)}%`)).join('/'),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)];
  const notes = [];
  const seen = new Map();
  const failure = (who, r, err) => {
    const prev = seen.get(err);
    if (prev) return `${r.scenario}: ${who} failed (as in "${prev}")`;
    seen.set(err, r.scenario);
    return `${r.scenario}: ${who} failed: ${summarizeError(err)}`;
  };
  for (const r of rows) {
    if (r.weftError) notes.push(failure('weft', r, r.weftError));
    if (r.peerError) notes.push(failure(r.peerName, r, r.peerError));
    if (r.note) notes.push(`${r.scenario}: ${r.note}`);
  }
  notes.push('spread w/p: (slowest − fastest) / median of the weft / peer samples; a ratio is only as firm as its spreads');
  if (notes.length) out.push('', 'notes:', ...notes.map((n) => `  - ${n}`));
  return out.join('\n') + '\n';
}

/** The command line, then the few output lines that say why (a stack says it in one). */
export function summarizeError(err) {
  const [head, ...rest] = String(err).split('\n');
  const lines = rest.map((l) => l.trim()).filter(Boolean);
  const telling = lines.filter((l) => /error|fatal|WEFT_E_|^weft:|denied|refused|not found|no such/i.test(l) && !/^at /.test(l));
  const pick = (telling.length ? telling : lines.filter((l) => !/^at /.test(l))).slice(0, 4);
  return [firstLine(head), ...pick.map((l) => `      ${l.slice(0, 300)}`)].join('\n');
}
