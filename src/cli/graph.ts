import { WeftError } from '../errors.js';
import { exec, whichTool } from '../exec.js';
import { redact } from '../redact.js';
import { graphData, renderGraph, renderDot } from '../resolve/graph.js';
import { stringOpt, type CommandSpec } from './command.js';
import { planFor } from './plan.js';

const FORMATS = ['dot', 'mermaid', 'svg'] as const;
const DOT_TIMEOUT_MS = 60_000;

export const command: CommandSpec = {
  name: 'graph',
  summary: 'print the source dependency graph (dot, mermaid or svg)',
  usage: 'graph [--format dot|mermaid|svg | --json]',
  description: `
Prints how the sources depend on each other: an arrow from a source to each source in its
\`depends\`, a dashed arrow from a source to the sources its manifest brought in through
\`import:\`, and one box per group. Nodes show the name and the kind and ref.

  weft graph | dot -Tpng -o deps.png
  weft graph --format mermaid     # paste into Markdown
  weft graph --format svg > deps.svg   # needs Graphviz's dot program

With --json: {"nodes": [{name, type, ref, groups}], "edges": [{from, to, kind}],
"pendingImports": [{from, file, only}]}, kind being depends or import, and a pending
import one whose source is not checked out yet.`,
  options: {
    format: { type: 'string', short: 'f', arg: 'FORMAT', description: 'dot (default), mermaid or svg' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const asked = stringOpt(args, 'format');
    if (ctx.json && asked !== undefined) {
      throw new WeftError('WEFT_E_USAGE', '--json and --format both say what to print', { hint: 'give one of them' });
    }
    const format = asked ?? 'dot';
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new WeftError('WEFT_E_USAGE', `unknown graph format "${format}"`, { hint: `use one of: ${FORMATS.join(', ')}` });
    }
    const plan = await planFor(ctx);
    if (ctx.json) {
      ctx.stdout.write(JSON.stringify(graphData(plan), null, 2) + '\n');
      return 0;
    }
    if (format !== 'svg') {
      ctx.stdout.write(renderGraph(plan, format as 'dot' | 'mermaid'));
      return 0;
    }
    // Looked up first, so a missing Graphviz is a clear error, not a spawn failure.
    const dot = whichTool('dot', ctx.env);
    if (!dot) {
      throw new WeftError('WEFT_E_GRAPH_NO_DOT', '`weft graph --format svg` needs the Graphviz `dot` program, which is not on PATH', {
        hint: 'install graphviz (e.g. `apt install graphviz`, `brew install graphviz`), or use `--format dot` / `--format mermaid`',
      });
    }
    const r = await exec(dot, ['-Tsvg'], { input: renderDot(plan), env: ctx.env, timeoutMs: DOT_TIMEOUT_MS });
    if (r.code !== 0) {
      const why = redact(r.stderr.trim()).split('\n').slice(0, 5).join('\n');
      throw new WeftError('WEFT_E_GRAPH_DOT', `Graphviz \`dot\` failed (exit ${r.code ?? r.signal})${why ? `: ${why}` : ''}`, {
        hint: 'check the dot output with `weft graph --format dot | dot -Tsvg`',
      });
    }
    ctx.stdout.write(r.stdout);
    return 0;
  },
};
