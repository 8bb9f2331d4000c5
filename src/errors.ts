import { redact } from './redact.js';
import type { Loc } from './types.js';

/** Exit codes: 0 ok, 1 some work failed, 2 usage or manifest error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface WeftErrorInit {
  /** What the user should do about it. */
  hint?: string;
  loc?: Loc;
  /** Exit code; defaults to 2 for usage/manifest codes, 1 otherwise. */
  exitCode?: number;
  /** Further problems reported together with this one (e.g. every manifest error). */
  more?: WeftError[];
  cause?: unknown;
}

/**
 * The one error type users see. `code` is stable (`WEFT_E_…`) and documented; the
 * message says what and why, `loc` says where, `hint` says how to fix it.
 */
export class WeftError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly loc?: Loc;
  readonly exitCode: number;
  readonly more: WeftError[];

  constructor(code: string, message: string, init: WeftErrorInit = {}) {
    super(redact(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WeftError';
    this.code = code;
    this.hint = init.hint;
    this.loc = init.loc;
    this.more = init.more ?? [];
    this.exitCode = init.exitCode ?? (USAGE_CODES.test(code) ? EXIT_USAGE : EXIT_FAILED);
  }

  /** All problems this error stands for, itself first. */
  all(): WeftError[] {
    return [this, ...this.more];
  }
}

const USAGE_CODES = /^WEFT_E_(USAGE|MANIFEST|SCHEMA|VARS|ENV|LOCK|INCLUDE|IMPORT|CYCLE|VERSION|CONFIG)/;

export function isWeftError(err: unknown): err is WeftError {
  return err instanceof WeftError;
}

export function formatLoc(loc: Loc | undefined, cwd = process.cwd()): string {
  if (!loc) return '';
  const file = loc.file.startsWith(cwd + '/') ? loc.file.slice(cwd.length + 1) : loc.file;
  return `${file}:${loc.line}:${loc.col}`;
}

/** One error as the user reads it: `weft.yaml:3:5: error WEFT_E_…: message` + hint. */
export function formatError(err: WeftError, cwd = process.cwd()): string {
  const lines: string[] = [];
  for (const e of err.all()) {
    const where = e.loc ? `${formatLoc(e.loc, cwd)}: ` : '';
    lines.push(`weft: ${where}error ${e.code}: ${e.message}`);
    if (e.hint) lines.push(`  hint: ${redact(e.hint)}`);
  }
  return lines.join('\n');
}
