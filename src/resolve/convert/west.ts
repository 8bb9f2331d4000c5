// west `west.yml`: remotes × projects → git sources, following west's own defaults
// (url = url-base/repo-path, repo-path = name, path = name, revision = defaults or "master").
import type { Node, Pair, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq } from '../yaml-api.js';
import { createCollector, type SourceCollector } from './collect.js';
import type { ConvertResult } from './types.js';
import { asMap, asSeq, entries, invalid, isNull, lineOf, pairOf, parseYamlInput, scalarText, type YamlInput } from './yaml-input.js';

const HINT = 'see https://docs.zephyrproject.org/latest/develop/west/manifest.html for the west.yml format';
/** west's default revision when neither the project nor `defaults` names one. */
const WEST_DEFAULT_REVISION = 'master';
const CARRIED = new Set(['name', 'url', 'remote', 'repo-path', 'revision', 'path', 'clone-depth', 'submodules', 'groups']);
const WHY: Record<string, string> = {
  import: 'west imports read west manifests; convert that file too, or list its projects here',
  'west-commands': 'weft has no west extension commands',
  userdata: 'weft keeps no free-form data per source',
  description: 'weft sources have no description; keep it as a comment',
};

type YMap = YAMLMap<Node, Node | null>;

export function convertWest(text: string, file: string): ConvertResult {
  const input = parseYamlInput(text, file, 'the west manifest');
  const top = asMap(input, input.doc.contents, 'a west manifest', HINT);
  const out = createCollector();
  const manifestPair = pairOf(top, 'manifest');
  if (!manifestPair) throw invalid(input, top, 'the west manifest has no top-level "manifest" mapping', HINT);
  for (const [k, p] of entries(top)) {
    if (k !== 'manifest') out.note(lineOf(input, p), `top-level "${k}" not carried over (west reads only "manifest")`);
  }
  const m = asMap(input, manifestPair.value, '"manifest"', HINT);
  const text1 = (map: YMap, key: string, what: string) => scalarText(input, pairOf(map, key)?.value, what, HINT);

  const remotes = readRemotes(input, m);
  const defaultsPair = pairOf(m, 'defaults');
  const defaults = defaultsPair && !isNull(defaultsPair.value) ? asMap(input, defaultsPair.value, '"defaults"', HINT) : undefined;
  const defaultRemote = defaults ? text1(defaults, 'remote', '"defaults.remote"') : undefined;
  const defaultRevision = (defaults ? text1(defaults, 'revision', '"defaults.revision"') : undefined) ?? WEST_DEFAULT_REVISION;
  if (defaultRemote !== undefined && !remotes.has(defaultRemote)) {
    throw invalid(input, pairOf(defaults!, 'remote'), `"defaults.remote" names "${defaultRemote}", which is not in "remotes"`, HINT);
  }

  for (const [k, p] of entries(m)) {
    if (k === 'group-filter') out.note(lineOf(input, p), '"group-filter" not carried over: choose groups when running weft instead');
    else if (k === 'self') noteSelf(input, p, out);
    else if (!['version', 'defaults', 'remotes', 'projects'].includes(k)) out.note(lineOf(input, p), `"manifest.${k}" not carried over (not a west field weft knows)`);
  }

  const projectsPair = pairOf(m, 'projects');
  const projects = projectsPair && !isNull(projectsPair.value) ? asSeq(input, projectsPair.value, '"projects"', HINT).items : [];
  for (const item of projects) {
    const p = asMap(input, item, 'each project', HINT);
    const name = text1(p, 'name', 'a project "name"');
    if (!name) throw invalid(input, item, 'a project has no "name"', HINT);
    const line = lineOf(input, item);
    const field = (k: string) => text1(p, k, `"${k}" of project "${name}"`);
    const url = projectUrl(input, p, name, field, remotes, defaultRemote);
    const depth = cloneDepth(input, p, name);
    const sub = pairOf(p, 'submodules');
    const submodules = sub ? readSubmodules(input, sub, name, out) : undefined;
    const groups = readGroups(input, p, name);
    for (const [k, kp] of entries(p)) {
      if (CARRIED.has(k)) continue;
      out.note(lineOf(input, kp), `"${k}" of project "${name}" not carried over: ${WHY[k] ?? 'not a west field weft knows'}`);
    }
    out.add({
      preferred: name,
      path: field('path') ?? name,
      line,
      source: { git: url, ref: field('revision') ?? defaultRevision, depth, submodules, groups },
    });
  }
  return out.result();
}

function readRemotes(input: YamlInput, m: YMap): Map<string, string> {
  const found = new Map<string, string>();
  const pair = pairOf(m, 'remotes');
  if (!pair || isNull(pair.value)) return found;
  for (const item of asSeq(input, pair.value, '"remotes"', HINT).items) {
    const r = asMap(input, item, 'each remote', HINT);
    const name = scalarText(input, pairOf(r, 'name')?.value, 'a remote "name"', HINT);
    const base = scalarText(input, pairOf(r, 'url-base')?.value, 'a remote "url-base"', HINT);
    if (!name || !base) throw invalid(input, item, 'a remote needs both "name" and "url-base"', HINT);
    found.set(name, base.replace(/\/+$/, ''));
  }
  return found;
}

function projectUrl(
  input: YamlInput,
  p: YMap,
  name: string,
  field: (k: string) => string | undefined,
  remotes: Map<string, string>,
  defaultRemote: string | undefined,
): string {
  const url = field('url');
  const remote = field('remote');
  if (url !== undefined) {
    if (remote !== undefined || pairOf(p, 'repo-path')) {
      throw invalid(input, pairOf(p, 'url'), `project "${name}" has "url" together with "remote" or "repo-path"`, 'give either url, or remote (and repo-path), as west requires');
    }
    return url;
  }
  const which = remote ?? defaultRemote;
  if (which === undefined) throw invalid(input, p, `project "${name}" has no "url", no "remote" and there is no "defaults.remote"`, HINT);
  const base = remotes.get(which);
  if (base === undefined) throw invalid(input, pairOf(p, 'remote') ?? p, `project "${name}" uses remote "${which}", which is not in "remotes"`, HINT);
  return `${base}/${field('repo-path') ?? name}`;
}

function cloneDepth(input: YamlInput, p: YMap, name: string): number | undefined {
  const pair = pairOf(p, 'clone-depth');
  const t = scalarText(input, pair?.value, `"clone-depth" of project "${name}"`, HINT);
  if (t === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(t)) throw invalid(input, pair?.value, `"clone-depth" of project "${name}" must be a positive whole number, got "${t}"`, HINT);
  return Number(t);
}

function readSubmodules(input: YamlInput, pair: Pair<Node, Node | null>, name: string, out: SourceCollector): boolean | undefined {
  const v = pair.value;
  if (isScalar(v) && typeof v.value === 'boolean') return v.value;
  if (isSeq(v)) {
    out.note(lineOf(input, pair), `"submodules" of project "${name}" lists particular submodules; weft fetches all of them ("submodules: true")`);
    return true;
  }
  if (isNull(v)) return undefined;
  throw invalid(input, v, `"submodules" of project "${name}" must be true, false or a list`, HINT);
}

function readGroups(input: YamlInput, p: YMap, name: string): string[] | undefined {
  const pair = pairOf(p, 'groups');
  if (!pair || isNull(pair.value)) return undefined;
  const list = asSeq(input, pair.value, `"groups" of project "${name}"`, HINT).items;
  return list.map((g) => scalarText(input, g, `a group of project "${name}"`, HINT) ?? '').filter((g) => g !== '');
}

function noteSelf(input: YamlInput, pair: Pair<Node, Node | null>, out: SourceCollector): void {
  if (!isMap(pair.value)) return;
  for (const [k, p] of entries(pair.value as YMap)) {
    const why = k === 'path' ? 'the manifest repository is where weft.yaml lives, not a source' : (WHY[k] ?? 'not a west field weft knows');
    out.note(lineOf(input, p), `"self.${k}" not carried over: ${why}`);
  }
}
