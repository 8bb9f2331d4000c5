// Which refs and revisions a manifest may name. A ref reaches git's argv, so anything that
// could be read as an option or a revision expression is refused; the rest mirrors
// `git check-ref-format` so a typo fails here instead of deep inside a fetch.

export type RefCheck = { ok: true } | { ok: false; why: string; hint: string };

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

export function isFullCommit(ref: string): boolean {
  return FULL_COMMIT.test(ref);
}

export function checkGitRef(ref: string): RefCheck {
  const hint = 'write a branch, a tag or a full commit hash, e.g. `ref: main`, `ref: v1.2.0`';
  const bad = (why: string): RefCheck => ({ ok: false, why, hint });
  if (ref === '') return bad('it is empty');
  if (ref.startsWith('-')) return bad('it starts with `-`, so git would read it as an option');
  if (/[\x00-\x20\x7f]/.test(ref)) return bad('it contains whitespace or control characters');
  const ch = /[~^:?*[\\]/.exec(ref);
  if (ch) return bad(`it contains \`${ch[0]}\`, which git does not allow in ref names`);
  if (ref.includes('..')) return bad('it contains `..`, which git does not allow in ref names');
  if (ref.includes('@{')) return bad('it contains `@{`, which git does not allow in ref names');
  if (ref === '@') return bad('`@` alone is not a ref name');
  if (ref.startsWith('/') || ref.endsWith('/')) return bad('it starts or ends with `/`');
  if (ref.includes('//')) return bad('it contains `//`');
  if (ref.endsWith('.')) return bad('it ends with `.`');
  for (const part of ref.split('/')) {
    if (part.startsWith('.')) return bad(`its component \`${part}\` starts with \`.\``);
    if (part.endsWith('.lock')) return bad(`its component \`${part}\` ends with \`.lock\``);
  }
  return { ok: true };
}

export function checkCommit(commit: string): RefCheck {
  if (FULL_COMMIT.test(commit)) return { ok: true };
  return { ok: false, why: 'it is not a full commit hash (40 or 64 hex digits)', hint: 'write the whole hash (`git rev-parse HEAD`), or use `ref:` for a branch or tag' };
}

export function checkSvnRev(ref: string): RefCheck {
  if (/^(?:[0-9]+|HEAD)$/.test(ref)) return { ok: true };
  return { ok: false, why: 'an svn revision is a number or HEAD', hint: 'write e.g. `ref: "1234"` or `ref: HEAD`; branches are part of the svn URL' };
}

export function checkHgRef(ref: string): RefCheck {
  if (ref === '') return { ok: false, why: 'it is empty', hint: 'write a changeset, tag or branch, or remove `ref`' };
  if (ref.startsWith('-')) return { ok: false, why: 'it starts with `-`, so hg would read it as an option', hint: 'write a changeset, tag or branch' };
  if (/[\x00-\x1f\x7f]/.test(ref)) return { ok: false, why: 'it contains control characters', hint: 'remove them' };
  return { ok: true };
}
