// `requires:`: the manifest's version ranges for tools, checked against what is installed.
// The range syntax is in version-range.ts; running the tools is handed in (requires-run.ts
// in real use), so this stays a plain function of its inputs.
import { WeftError } from '../errors.js';
import { formatVersion, parseRange, parseToolVersion, satisfies } from './version-range.js';

export const REQUIRES_HINT = 'write comparators separated by spaces, e.g. `">=2.30"`, `">=3.9 <4"`, `"^1.2"`, `"~1.2"`, `"1.x"`';

export const TOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Why `range` is not a valid range, or undefined when it is. */
export function checkRange(range: string): string | undefined {
  for (const alt of range.split('||').map((a) => a.trim())) {
    if (alt === '') return 'it has an empty alternative around `||`';
  }
  if (parseRange(range) === undefined) {
    const badOne = range.split(/\s+|\|\|/).find((c) => c !== '' && parseRange(c) === undefined);
    return `\`${badOne ?? range}\` is not a version comparator`;
  }
  return undefined;
}

export interface ToolProbe {
  /** Absolute path of the program on PATH, or undefined when there is none. */
  path?: string;
  /** What `tool --version` (or `tool -V`) printed (stdout and stderr), or undefined when it failed to run. */
  output?: string;
}

export interface RequiresDeps {
  probe(tool: string): Promise<ToolProbe>;
}

export interface ToolCheck {
  tool: string;
  range: string;
  ok: boolean;
  path?: string;
  /** Undefined also when ok: a tool that tells no version, required as "*". */
  version?: string;
  /** What is wrong, for people: "not found on PATH", "2.25.1 is too old". */
  problem?: string;
  fix?: string;
}

export async function checkRequires(requires: Record<string, string>, deps: RequiresDeps): Promise<ToolCheck[]> {
  return Promise.all(
    Object.entries(requires).map(async ([tool, range]): Promise<ToolCheck> => {
      const parsed = parseRange(range);
      if (!parsed) return { tool, range, ok: false, problem: `range \`${range}\` is not valid`, fix: REQUIRES_HINT };
      const probe = await deps.probe(tool);
      if (!probe.path) return { tool, range, ok: false, problem: 'not found on PATH', fix: `install ${tool} (${range}), or add its directory to PATH` };
      const v = probe.output === undefined ? undefined : parseToolVersion(probe.output);
      // `*` (an alternative with no bound) asks only for the program: ssh and openssl answer
      // no --version, and "*" is how to require them at all.
      if (!v && parsed.some((alt) => alt.length === 0)) return { tool, range, ok: true, path: probe.path };
      if (probe.output === undefined) {
        return { tool, range, ok: false, path: probe.path, problem: `neither \`${tool} --version\` nor \`${tool} -V\` tells its version`, fix: `check that ${probe.path} runs; if any version will do, require it as "*"` };
      }
      if (!v) {
        const first = probe.output.trim().split('\n')[0]?.slice(0, 80) ?? '';
        return { tool, range, ok: false, path: probe.path, problem: `no version number in \`${tool} --version\` output ("${first}")`, fix: `check that ${probe.path} is the ${tool} you expect` };
      }
      const version = formatVersion(v);
      if (satisfies(v, parsed)) return { tool, range, ok: true, path: probe.path, version };
      return { tool, range, ok: false, path: probe.path, version, problem: `${version} does not match ${range}`, fix: `install a ${tool} matching ${range} (found ${probe.path})` };
    }),
  );
}

/** One error listing every tool that is missing or the wrong version; undefined when all are fine. */
export function requiresError(checks: ToolCheck[], manifest: string): WeftError | undefined {
  const bad = checks.filter((c) => !c.ok);
  if (bad.length === 0) return undefined;
  const lines = bad.map((c) => `  ${c.tool} ${c.range}: ${c.problem}; ${c.fix}`);
  return new WeftError('WEFT_E_REQUIRES', `${manifest} requires tools this machine does not have:\n${lines.join('\n')}`, {
    hint: 'install or upgrade them (then `weft doctor` checks again), or change `requires:` if the ranges are wrong',
    exitCode: 1,
  });
}
