// What `weft bundle` and `weft up --from` say while they pack or check a bundle: one plain
// line per step on stderr (the steps are few and long; a spinner would hide which one is
// slow), nothing with --quiet or --json.
import { redact } from '../redact.js';
import type { CommandContext } from './command.js';

export function bundleProgress(ctx: CommandContext): (step: string, name: string, detail?: string) => void {
  if (ctx.quiet || ctx.json) return () => {};
  return (step, name, detail) => {
    const what = [name, detail ? redact(detail) : ''].filter(Boolean).join(': ');
    ctx.stderr.write(`weft: ${step}${what ? ` ${what}` : ''}\n`);
  };
}
