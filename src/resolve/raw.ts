// The manifest as read from the files: typed, located, not yet interpolated. Includes and
// weft.local.yaml are merged at this level, before any `${…}` is expanded.
import type { Loc, SetupWhen } from '../types.js';
import type { FileCtx, Leaf } from './yaml-nodes.js';

export type RawEnvOp =
  | { op: 'prepend' | 'append'; paths: Leaf<string>[]; loc: Loc }
  | { op: 'set'; value: Leaf<string>; loc: Loc }
  | { op: 'unset'; loc: Loc };

export interface RawEnvSpec {
  name: string;
  keyLoc: Loc;
  ops: RawEnvOp[];
}

export interface RawSetup {
  run: Leaf<string>;
  when: SetupWhen;
  loc: Loc;
}

export interface RawImport {
  from: Leaf<string>;
  file?: Leaf<string>;
  only?: Leaf<string>[];
  loc: Loc;
}

export interface RawSourceFields {
  git?: Leaf<string>;
  archive?: Leaf<string>;
  local?: Leaf<string>;
  svn?: Leaf<string>;
  hg?: Leaf<string>;
  ref?: Leaf<string>;
  commit?: Leaf<string>;
  depth?: Leaf<number | string>;
  submodules?: Leaf<boolean>;
  integrity?: Leaf<string>;
  strip?: Leaf<number | string>;
  format?: Leaf<string>;
  path?: Leaf<string>;
  depends?: Leaf<Leaf<string>[]>;
  groups?: Leaf<Leaf<string>[]>;
  env?: Leaf<Map<string, RawEnvSpec>>;
  setup?: Leaf<RawSetup[]>;
}

export type SourceField = keyof RawSourceFields;

export interface RawSource {
  name: string;
  /** Where the source was first defined. */
  loc: Loc;
  fields: RawSourceFields;
  /** Which file:line set each field (and `env.NAME` for each variable). */
  fieldLocs: Record<string, Loc>;
  /** A problem was already reported inside it; skip checks that would only echo it. */
  broken: boolean;
}

export interface RawManifest {
  weft?: Leaf<number>;
  name?: Leaf<string>;
  root?: Leaf<string>;
  vars: Map<string, Leaf<string>>;
  sources: Map<string, RawSource>;
  imports: RawImport[];
  env: Map<string, RawEnvSpec>;
  requires: Map<string, Leaf<string>>;
  mirrors: Map<string, Leaf<string>>;
}

/** One file as read, before merging. */
export interface RawFile extends RawManifest {
  ctx: FileCtx;
  include: Leaf<string>[];
}

export function emptyManifest(): RawManifest {
  return {
    vars: new Map(),
    sources: new Map(),
    imports: [],
    env: new Map(),
    requires: new Map(),
    mirrors: new Map(),
  };
}
