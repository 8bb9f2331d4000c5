// A source-level git failure: carried up to the fetcher, which turns it into a 'failed'
// Checkout. Auth failures are their own kind so the CLI can retry them on a terminal.
import type { ExecResult } from '../../exec.js';
import { redact } from '../../redact.js';

export class SourceFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: string,
    readonly needsAuth = false,
    readonly hint?: string,
  ) {
    super(redact(message));
  }
}

const AUTH = [
  /could not read (Username|Password)/i,
  /Authentication failed/i,
  /terminal prompts disabled/i,
  /returned error: 40[13]/i,
  /HTTP Basic: Access denied/i,
  /Permission denied \((publickey|keyboard-interactive|password)/i,
  /Invalid username or (password|token)/i,
];

export function isAuthFailure(stderr: string): boolean {
  return AUTH.some((re) => re.test(stderr));
}

/** The lines of git's stderr worth showing, redacted. */
export function stderrDetail(res: ExecResult): string {
  const lines = res.stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l && !/^(hint|warning: redirecting)/.test(l));
  const shown = lines.slice(-8).join('\n');
  if (res.code === null) return redact(`git was killed (${res.signal ?? 'timeout'})${shown ? `\n${shown}` : ''}`);
  return redact(shown);
}

/** Turns a failed git call into a SourceFailure, telling auth failures apart. */
export function gitFailure(what: string, res: ExecResult, url?: string): SourceFailure {
  const detail = stderrDetail(res);
  if (isAuthFailure(res.stderr)) {
    return new SourceFailure(
      'WEFT_E_GIT_AUTH',
      `${what}: ${url ? redact(url) + ' ' : ''}needs credentials (git may not prompt here); set up a credential helper or ssh key, or run again on a terminal`,
      detail,
      true,
    );
  }
  if (res.code === null) return new SourceFailure('WEFT_E_GIT_TIMEOUT', `${what}: git did not finish in time`, detail);
  return new SourceFailure('WEFT_E_GIT', `${what}: ${firstError(detail) ?? `git exited with ${res.code}`}`, detail);
}

/** git's first fatal: or error: line of `detail`, without its prefix. */
export function firstError(detail: string): string | undefined {
  const line = detail.split('\n').find((l) => /^(fatal|error):/.test(l));
  return line?.replace(/^(fatal|error):\s*/, '');
}

/** Throws gitFailure unless the call succeeded. */
export function ok(res: ExecResult, what: string, url?: string): ExecResult {
  if (res.code !== 0) throw gitFailure(what, res, url);
  return res;
}

/**
 * The cache's mirror is damaged (see damage.ts): the fetcher sets it aside and fetches it
 * again; offline, the source fails with this code.
 */
export class MirrorDamaged extends SourceFailure {
  constructor(
    readonly mirror: string,
    /** Why, in a few words: the structural problem or git's first damage line. */
    readonly why: string,
    /** The damaged entry's identity when its files were read (damage.ts entryIdentity). */
    readonly identity: string | undefined,
  ) {
    super('WEFT_E_CACHE_DAMAGED', `the cache's copy at ${mirror} is damaged (${why})`, `${mirror}: ${why}`);
  }
}
