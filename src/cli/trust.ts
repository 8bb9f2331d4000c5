import { recordTrust, revokeTrust, trustStatus, weftFor } from '../shell/index.js';
import { WeftError } from '../errors.js';
import { findManifest } from '../resolve/index.js';
import { flag, type CommandSpec } from './command.js';
import { planFor } from './plan.js';

export const command: CommandSpec = {
  name: 'trust',
  summary: 'trust this workspace so setup steps run and the hook activates it',
  usage: 'trust [--revoke | --status [--quiet]]',
  description: `
Records the manifest's real path and the sha256 of every file it reads (includes and
weft.local.yaml too) in $XDG_CONFIG_HOME/weft/trust.json. Editing any of them revokes
trust until you run "weft trust" again.

--status exits 0 when trusted and 1 when not, naming the files that changed.`,
  options: {
    revoke: { type: 'boolean', description: 'forget the trust for this workspace' },
    status: { type: 'boolean', description: 'exit 0 if trusted, 1 if not' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const revoke = flag(args, 'revoke');
    const status = flag(args, 'status');
    if (revoke && status) throw new WeftError('WEFT_E_USAGE', 'choose one of --revoke, --status', { hint: 'see "weft help trust"' });
    if (revoke) {
      // By path alone: a manifest broken since it was trusted can still be distrusted.
      const manifest = findManifest(ctx.cwd, ctx.manifest);
      const had = revokeTrust(manifest, ctx.env);
      if (ctx.json) ctx.stdout.write(JSON.stringify({ manifest, trusted: false, revoked: had }) + '\n');
      else if (!ctx.quiet) ctx.stdout.write(had ? `revoked trust for ${manifest}\n` : `${manifest} was not trusted\n`);
      return 0;
    }
    const plan = await planFor(ctx);
    if (status) {
      const s = trustStatus(plan, ctx.env);
      if (ctx.json) ctx.stdout.write(JSON.stringify({ manifest: plan.manifest, ...s }) + '\n');
      else if (!ctx.quiet) {
        // Run from where weft was started: a manifest given by --manifest needs it named.
        const trust = `${weftFor(plan, process.cwd())} trust`;
        if (s.trusted) ctx.stdout.write(`trusted: ${plan.manifest}\n`);
        else if (s.unknown) ctx.stdout.write(`not trusted: ${plan.manifest}\n  run "${trust}" to trust it\n`);
        else ctx.stdout.write(`not trusted: ${plan.manifest} changed since "weft trust":\n${s.changed.map((f) => `  ${f}\n`).join('')}  run "${trust}" again after checking the changes\n`);
      }
      return s.trusted ? 0 : 1;
    }
    recordTrust(plan, ctx.env);
    if (ctx.json) ctx.stdout.write(JSON.stringify({ manifest: plan.manifest, trusted: true, files: plan.files }) + '\n');
    else if (!ctx.quiet) ctx.stdout.write(`trusted ${plan.manifest} (${plan.files.length} file${plan.files.length === 1 ? '' : 's'})\n`);
    return 0;
  },
};
