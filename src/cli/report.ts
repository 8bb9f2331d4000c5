// How `weft up` talks while it works and when it is done: live progress with ora on a
// terminal, plain lines elsewhere (CI, pipes), and one summary with every failure's cause.
import type { Ora } from 'ora';
import type { FetchEvent } from '../fetch/fetcher.js';
import { redact } from '../redact.js';
import { formatLoc } from '../errors.js';
import type { Checkout } from '../types.js';
import type { CommandContext } from './command.js';

export interface Progress {
  onEvent(e: FetchEvent): void;
  stop(): void;
}

export async function createProgress(ctx: CommandContext, total: number): Promise<Progress> {
  if (ctx.quiet || ctx.json) return { onEvent() {}, stop() {} };
  // A pseudo-terminal with no size (columns 0) makes ora redraw without end, and on
  // TERM=dumb (which cannot redraw a line) ora prints its first text and then nothing:
  // plain lines there.
  const live = ctx.stderr.isTTY && !ctx.env['CI'] && ctx.env['TERM'] !== 'dumb' && (process.stderr.columns ?? 0) > 0;
  if (!live) {
    // Fetchers and the orchestrator may both report one phase; say each once per source.
    const said = new Set<string>();
    return {
      onEvent(e) {
        // A wait for another weft (the workspace or the cache lock) is said, or a run
        // waiting half a minute looks hung.
        if (e.phase === 'waiting' && e.name === '' && e.message) {
          if (!said.has(`waiting\0${e.message}`)) ctx.stderr.write(`weft: ${redact(e.message)}\n`);
          said.add(`waiting\0${e.message}`);
          return;
        }
        // So is one source's wait for another weft on its cache entry.
        if (e.phase !== 'fetching' && e.phase !== 'failed' && e.phase !== 'discarding' && e.phase !== 'waiting') return;
        const key = `${e.phase}\0${e.name}`;
        if (said.has(key)) return;
        said.add(key);
        ctx.stderr.write(`weft: ${e.phase} ${e.name}${e.message ? `: ${redact(e.message)}` : ''}\n`);
      },
      stop() {},
    };
  }
  const active = new Map<string, string>();
  let done = 0;
  // ora only on a terminal: CI and pipes should not pay for loading it.
  const { default: ora } = await import('ora');
  // discardStdin off: ora's discarder puts the terminal in raw mode and listens for Ctrl-C
  // without ever making stdin flow (stdin-discarder 0.3 on node 20), so Ctrl-C was a
  // byte nobody read and the run could not be interrupted. In cooked mode the terminal
  // itself turns Ctrl-C into SIGINT, which interrupt.ts handles.
  // chalk, which colours ora's frames, heeds --no-color but not NO_COLOR.
  const spinner: Ora = ora({ stream: process.stderr, text: `0/${total}`, discardStdin: false, ...(ctx.env['NO_COLOR'] ? { color: false } : {}) }).start();
  const refresh = () => {
    const items = [...active.entries()].slice(0, 4).map(([n, p]) => (n ? `${n} (${p})` : p));
    const more = active.size > 4 ? ` +${active.size - 4}` : '';
    spinner.text = `${done}/${total} ${items.join(', ')}${more}`;
  };
  return {
    onEvent(e) {
      // What --force is about to discard stays on the screen, above the spinner.
      if (e.phase === 'discarding') {
        spinner.clear();
        ctx.stderr.write(`weft: discarding in ${e.name}: ${redact(e.message ?? '')}\n`);
      }
      // The run's own waits (name ''), shown as what they wait for; over once a source moves.
      if (e.name === '') {
        if (e.phase === 'waiting') active.set('', redact(e.message ?? 'waiting'));
      } else if (e.phase === 'done' || e.phase === 'failed') {
        active.delete('');
        active.delete(e.name);
        done++;
      } else if (e.phase !== 'queued') {
        active.delete('');
        const bytes = e.bytes !== undefined ? ` ${formatBytes(e.bytes)}${e.totalBytes ? `/${formatBytes(e.totalBytes)}` : ''}` : '';
        active.set(e.name, `${e.phase}${bytes}`);
      }
      refresh();
    },
    stop() {
      spinner.stop();
    },
  };
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

const MARK: Record<Checkout['status'], string> = {
  cloned: '+', updated: '~', unchanged: '=', local: '=', skipped: '!', failed: 'x',
};

/**
 * What happened to a source, in the summary's words: a new archive was extracted, not
 * cloned. (`--json` keeps the status itself: 'cloned' there means newly created.)
 */
function outcome(c: Checkout): string {
  return c.status === 'cloned' && c.type === 'archive' ? 'extracted' : c.status;
}

/**
 * The summary table: one line per source, then causes of failures, then counts. Sources
 * `weft up NAME…` or `--skip` left out are only counted: nothing happened to them.
 */
/** `cwd`: what manifest positions are shown relative to. */
export function summarize(all: Checkout[], cwd = process.cwd()): string {
  const checkouts = all.filter((c) => !c.notSelected);
  const left = all.length - checkouts.length;
  const w = Math.max(4, ...checkouts.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of checkouts) {
    const rev = c.status === 'failed' ? (c.code ? ` ${c.code}` : '') : c.revision ? ` ${c.type === 'git' || c.type === 'hg' ? c.revision.slice(0, 12) : c.revision}` : '';
    const branch = c.branch ? ` (${c.branch})` : '';
    const time = c.durationMs !== undefined && c.durationMs >= 100 ? ` ${(c.durationMs / 1000).toFixed(1)}s` : '';
    // Trimmed: a skipped or failed line with nothing after the outcome kept its padding.
    lines.push(`${MARK[c.status]} ${c.name.padEnd(w)}  ${outcome(c).padEnd(9)}${rev}${branch}${time}`.trimEnd());
    if (c.message && (c.status === 'skipped' || c.status === 'failed' || c.status === 'updated' || c.switched === 'in-place' || c.cacheHealed)) {
      lines.push(`    ${c.loc && c.status === 'failed' ? `${formatLoc(c.loc, cwd)}: ` : ''}${redact(c.message)}`);
    }
    if (c.hint && c.status === 'failed') lines.push(`    hint: ${redact(c.hint)}`);
    if (c.fromBundle === 'svn export') lines.push('    from the bundle: an export of the locked revision, not a working copy (for one: move it away, then weft up with the network)');
    if (c.branchGone) lines.push(`    the checkout of branch ${c.branchGone.branch} at ${c.branchGone.dir} is gone: the main checkout is active again`);
    if (c.leftBehind) lines.push(`    moved here; the checkout at ${c.leftBehind} is left as it was (weft prune removes it once it holds no work)`);
    if (c.cause && c.status === 'failed') {
      for (const l of redact(c.cause).trim().split('\n').slice(-6)) lines.push(`      ${l}`);
    }
  }
  const counts = new Map<string, number>();
  for (const c of checkouts) counts.set(outcome(c), (counts.get(outcome(c)) ?? 0) + 1);
  const parts = [...counts.entries()].map(([s, n]) => `${n} ${s}`);
  const rest = left ? ` (${left} more not selected)` : '';
  lines.push(`${checkouts.length} source${checkouts.length === 1 ? '' : 's'}: ${parts.join(', ') || 'nothing to do'}${rest}`);
  return lines.join('\n') + '\n';
}
