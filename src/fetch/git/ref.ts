// Ref names are checked in node with git's own rules (check-ref-format
// --allow-onelevel) so a no-op run need not spawn git just to validate; a test compares
// this with the real `git check-ref-format`.

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isFullCommit(ref: string): boolean {
  return FULL_SHA.test(ref);
}

/** What may be an abbreviated commit id (git's shortest is 4 hex digits). */
export function isAbbreviatedCommit(ref: string): boolean {
  return /^[0-9a-f]{4,39}$/.test(ref);
}

/** git check-ref-format --allow-onelevel, in node. */
export function isValidRefName(name: string): boolean {
  if (name.length === 0 || name === '@') return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  if (name.includes('//') || name.includes('..') || name.includes('@{')) return false;
  // Control characters, DEL, space and ~ ^ : ? * [ \ are never allowed.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  for (const part of name.split('/')) {
    if (part.startsWith('.') || part.endsWith('.lock')) return false;
  }
  return true;
}

/** Why a ref from the manifest is refused, or undefined when it may be given to git. */
export function unsafeRefReason(ref: string): string | undefined {
  if (ref.startsWith('-')) return 'it starts with "-" and git would read it as an option';
  if (!isValidRefName(ref)) return 'it is not a valid git ref name (see `git check-ref-format`)';
  return undefined;
}
