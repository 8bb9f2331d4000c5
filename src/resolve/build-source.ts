// One merged source → one typed, interpolated, validated Source.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { sourceTemplate, templateText } from '../source-template.js';
import type { Loc, Source, SetupStep } from '../types.js';
import { buildEnv } from './env-spec.js';
import { integrityHint, checkArchive } from './build-archive.js';
import { COMMON_SOURCE_KEYS, KIND_KEYS, KIND_SPECIFIC_KEYS, SOURCE_KINDS, type SourceKind } from './keys.js';
import { checkCheckoutPath } from './paths.js';
import type { Problems } from './problems.js';
import type { RawSource } from './raw.js';
import { checkCommit, checkGitRef, checkHgRef, checkSvnRev, isFullCommit, type RefCheck } from './refs.js';
import { closest } from './suggest.js';
import { applyMirrors, checkUrl, type UrlKind } from './urls.js';
import type { Interpolator } from './vars.js';
import type { Leaf } from './yaml-nodes.js';

export interface SourceContext {
  interp: Interpolator;
  problems: Problems;
  /** Absolute root for checkouts; undefined when `root` could not be expanded. */
  root: () => string | undefined;
  mirrors: readonly MirrorRule[];
  /** From the user's config file; applied to the URL after the manifest's rules. */
  userMirrors?: readonly MirrorRule[];
  /** Absolute directory (memoised, cycle-checked) of a source by name. */
  dirOf: (name: string) => string | undefined;
  /** Every source name in the merged manifest, for did-you-mean hints. */
  sourceNames: readonly string[];
}

export type MirrorRule = readonly [prefix: string, replacement: string, loc: Loc];

export interface Placement {
  dir: string;
  path: string;
}

/**
 * The one kind key a source has, or undefined after reporting none/several. `others`:
 * the other sources' names, for a kindless entry that is an override of a misspelt one.
 */
export function sourceKind(src: RawSource, problems?: Problems, others: readonly string[] = []): SourceKind | undefined {
  const kinds = SOURCE_KINDS.filter((k) => src.fields[k] !== undefined);
  if (kinds.length === 1) return kinds[0];
  if (!problems) return undefined;
  if (kinds.length === 0) {
    if (!src.broken) {
      const meant = closest(src.name, others.filter((n) => n !== src.name));
      problems.add({
        code: 'WEFT_E_MANIFEST_SOURCE_KIND',
        message: `source \`${src.name}\` does not say what it is: it has none of ${SOURCE_KINDS.map((k) => `\`${k}\``).join(', ')}`,
        loc: src.loc,
        hint: `${meant ? `did you mean \`${meant}\`? (an override needs the source's exact name) Otherwise ` : ''}add exactly one, e.g. \`git: https://host/repo.git\` or \`local: ../dir\``,
      });
    }
    return undefined;
  }
  const second = src.fields[kinds[1]!]!;
  problems.add({
    code: 'WEFT_E_MANIFEST_SOURCE_KIND',
    message: `source \`${src.name}\` has both \`${kinds[0]}\` and \`${kinds[1]}\`; a source has exactly one kind`,
    loc: second.keyLoc ?? second.loc,
    hint: 'keep one of them; define a second source for the other',
  });
  return undefined;
}

/** Where a source lives; called once per source through the interpolator's memo. */
export function placeSource(src: RawSource, ctx: SourceContext): Placement | undefined {
  const kind = sourceKind(src);
  if (kind === undefined) return undefined;
  if (kind === 'local') {
    const leaf = src.fields.local!;
    const v = ctx.interp.expand(leaf);
    if (v === undefined) return undefined;
    if (v.trim() === '') {
      ctx.problems.add({ code: 'WEFT_E_MANIFEST_VALUE', message: `\`local\` of source \`${src.name}\` is empty`, loc: leaf.loc, hint: 'write the directory, relative to this file' });
      return undefined;
    }
    return { dir: resolve(leaf.ctx.dir, v), path: v };
  }
  const leaf = src.fields.path;
  const raw = leaf ? ctx.interp.expand(leaf) : src.name;
  const root = ctx.root();
  if (raw === undefined || root === undefined) return undefined;
  const checked = checkCheckoutPath(raw);
  if (!checked.ok) {
    ctx.problems.add({
      code: 'WEFT_E_MANIFEST_PATH',
      message: `\`path\` \`${raw}\` of source \`${src.name}\` is not allowed: ${checked.why}`,
      loc: leaf?.loc ?? src.loc,
      hint: checked.hint,
    });
    return undefined;
  }
  return { dir: resolve(root, checked.path), path: checked.path };
}

export function buildSource(src: RawSource, placement: Placement | undefined, ctx: SourceContext): Source | undefined {
  const { problems, interp } = ctx;
  const kind = sourceKind(src, problems, ctx.sourceNames);
  if (kind === undefined) return undefined;
  const f = src.fields;
  const before = problems.count;
  checkKindKeys(src, kind, problems);
  const str = (leaf: Leaf<string> | undefined) => (leaf ? interp.expand(leaf) : undefined);
  const names = (leaf: Leaf<Leaf<string>[]> | undefined) => (leaf ? leaf.value.map((l) => interp.expand(l)).filter((x): x is string => x !== undefined) : []);
  const setup: SetupStep[] = [];
  for (const step of f.setup?.value ?? []) {
    const parts = interp.expandTemplate(step.run);
    const run = parts && templateText(parts);
    if (run !== undefined && run.trim() === '') {
      problems.add({ code: 'WEFT_E_MANIFEST_VALUE', message: `a \`setup\` step of source \`${src.name}\` has an empty command`, loc: step.run.loc, hint: 'write the command to run, or remove the step' });
    } else if (run !== undefined) {
      const template = sourceTemplate(parts!);
      setup.push({ run, when: step.when, loc: step.loc, ...(template ? { template } : {}) });
    }
  }
  const groups = names(f.groups);
  for (const [i, g] of groups.entries()) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(g)) {
      problems.add({ code: 'WEFT_E_MANIFEST_VALUE', message: `group \`${g}\` of source \`${src.name}\` is not a valid group name`, loc: f.groups!.value[i]?.loc ?? f.groups!.loc, hint: 'group names hold letters, digits, `.`, `_` and `-`' });
    }
  }
  const common = {
    name: src.name,
    path: placement?.path ?? '',
    dir: placement?.dir ?? '',
    depends: [...new Set(names(f.depends))],
    groups: [...new Set(groups)],
    env: buildEnv(f.env?.value.values() ?? [], src.name, interp, problems),
    setup,
    loc: src.loc,
    fieldLocs: src.fieldLocs,
  };
  let out: Source | undefined;
  switch (kind) {
    case 'local': {
      const dir = placement?.dir;
      if (dir !== undefined) checkLocalDir(src, dir, problems);
      out = { type: 'local', ...common };
      break;
    }
    case 'git': {
      const url = remoteUrl(src, 'git', ctx);
      const ref = str(f.ref);
      const commitField = str(f.commit);
      checkRef(src, 'ref', f.ref, ref, checkGitRef, problems);
      checkRef(src, 'commit', f.commit, commitField, checkCommit, problems);
      const commit = commitField ?? (ref !== undefined && isFullCommit(ref) ? ref : undefined);
      const depth = intValue(src, 'depth', f.depth, 1, ctx);
      out = {
        type: 'git',
        ...common,
        ...url,
        ...(ref !== undefined && { ref }),
        refLoc: f.ref?.loc ?? src.loc,
        ...(commit !== undefined && { commit: commit.toLowerCase() }),
        ...(depth !== undefined && { depth }),
        submodules: f.submodules?.value ?? false,
      } as Source;
      break;
    }
    case 'archive': {
      const url = remoteUrl(src, 'archive', ctx);
      const archive = checkArchive(src, url?.url, ctx);
      const strip = intValue(src, 'strip', f.strip, 0, ctx) ?? 0;
      if (!f.integrity && !src.broken) {
        problems.add({ code: 'WEFT_E_MANIFEST_MISSING_KEY', message: `archive source \`${src.name}\` has no \`integrity\``, loc: src.loc, hint: integrityHint });
      }
      out = { type: 'archive', ...common, ...url, integrity: archive.integrity ?? '', strip, ...(archive.format && { format: archive.format }) } as Source;
      break;
    }
    case 'svn':
    case 'hg': {
      const url = remoteUrl(src, kind, ctx);
      const ref = str(f.ref);
      checkRef(src, 'ref', f.ref, ref, kind === 'svn' ? checkSvnRev : checkHgRef, problems);
      out = { type: kind, ...common, ...url, ...(ref !== undefined && { ref }), refLoc: f.ref?.loc ?? src.loc } as Source;
      break;
    }
  }
  return problems.count > before || placement === undefined ? undefined : out;
}

function checkKindKeys(src: RawSource, kind: SourceKind, problems: Problems): void {
  const allowed = [...KIND_KEYS[kind], ...COMMON_SOURCE_KEYS.filter((k) => kind !== 'local' || k !== 'path')];
  for (const key of [...KIND_SPECIFIC_KEYS, 'path'] as const) {
    const leaf = src.fields[key];
    if (leaf === undefined || allowed.includes(key)) continue;
    problems.add({
      code: 'WEFT_E_MANIFEST_KIND_KEY',
      message: `\`${key}\` does not apply to ${kind === 'archive' ? 'an' : 'a'} ${kind} source (\`${src.name}\`)`,
      loc: leaf.keyLoc ?? leaf.loc,
      hint:
        key === 'path' && kind === 'local'
          ? 'a local directory is used where it is; remove `path`'
          : `remove it; ${kind} sources take ${allowed.map((k) => `\`${k}\``).join(', ')}`,
    });
  }
}

function checkLocalDir(src: RawSource, dir: string, problems: Problems): void {
  const leaf = src.fields.local!;
  if (!existsSync(dir)) {
    problems.add({
      code: 'WEFT_E_MANIFEST_LOCAL_MISSING',
      message: `the local directory ${dir} of source \`${src.name}\` does not exist`,
      loc: leaf.loc,
      hint: `create it, or fix the path (relative to ${leaf.ctx.file})`,
    });
  } else if (!statSync(dir).isDirectory()) {
    problems.add({ code: 'WEFT_E_MANIFEST_LOCAL_NOT_DIR', message: `the local path ${dir} of source \`${src.name}\` is not a directory`, loc: leaf.loc, hint: 'point `local:` at a directory' });
  }
}

function checkRef(src: RawSource, key: string, leaf: Leaf<string> | undefined, value: string | undefined, check: (s: string) => RefCheck, problems: Problems): void {
  if (!leaf || value === undefined) return;
  const r = check(value);
  if (r.ok) return;
  problems.add({ code: 'WEFT_E_MANIFEST_REF', message: `\`${key}\` \`${value}\` of source \`${src.name}\` is not allowed: ${r.why}`, loc: leaf.loc, hint: r.hint });
}

/** The checked URL, mirrored when a mirror matches (the original kept as canonicalUrl). */
function remoteUrl(src: RawSource, kind: UrlKind, ctx: SourceContext): { url: string; canonicalUrl?: string; writtenUrl?: string } | undefined {
  const leaf = src.fields[kind];
  if (!leaf) return undefined;
  const raw = ctx.interp.expand(leaf);
  if (raw === undefined) return undefined;
  const checked = checkUrl(kind, raw, leaf.ctx.dir);
  if (!checked.ok) {
    ctx.problems.add({ code: 'WEFT_E_MANIFEST_URL', message: `${kind} URL \`${raw}\` of source \`${src.name}\` is not allowed: ${checked.why}`, loc: leaf.loc, hint: checked.hint });
    return undefined;
  }
  let url = checked.url;
  // The manifest's rules first, then the user's: a user can point the manifest's mirror
  // (or the original host) at one closer to them.
  for (const rules of [ctx.mirrors, ctx.userMirrors ?? []]) {
    const mirrored = applyMirrors(url, rules.map(([p, r]) => [p, r] as const));
    if (mirrored.prefix === undefined) continue;
    const again = checkUrl(kind, mirrored.url, leaf.ctx.dir);
    if (!again.ok) {
      const loc = rules.find(([p]) => p === mirrored.prefix)![2];
      ctx.problems.add({ code: 'WEFT_E_MANIFEST_URL', message: `mirror \`${mirrored.prefix}\` turns the URL of source \`${src.name}\` into \`${mirrored.url}\`, which is not allowed: ${again.why}`, loc, hint: again.hint });
      return undefined;
    }
    url = again.url;
  }
  // A path relative to the manifest is kept as written too: the lock records that, so it
  // holds wherever the workspace and its neighbours are cloned.
  const written = checked.relative ? { writtenUrl: raw } : {};
  return url === checked.url ? { url, ...written } : { url, canonicalUrl: checked.url, ...written };
}

function intValue(src: RawSource, key: 'depth' | 'strip', leaf: Leaf<number | string> | undefined, min: number, ctx: SourceContext): number | undefined {
  if (!leaf) return undefined;
  if (typeof leaf.value === 'number') return leaf.value;
  const s = ctx.interp.expand(leaf as Leaf<string>);
  if (s === undefined) return undefined;
  if (/^[0-9]+$/.test(s.trim()) && Number(s) >= min) return Number(s);
  ctx.problems.add({ code: 'WEFT_E_MANIFEST_VALUE', message: `\`${key}\` of source \`${src.name}\` expands to \`${s}\`, which is not a whole number of at least ${min}`, loc: leaf.loc, hint: `make it expand to a number like \`${Math.max(min, 1)}\`` });
  return undefined;
}
