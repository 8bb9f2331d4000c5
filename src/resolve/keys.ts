// The manifest's vocabulary, exported so the JSON Schema (schema/weft.schema.json) can be
// checked against it by a test instead of drifting.
import type { ArchiveFormat } from '../types.js';

export type { ArchiveFormat };

export const MANIFEST_KEYS = [
  'weft',
  'name',
  'root',
  'vars',
  'sources',
  'include',
  'import',
  'env',
  'requires',
  'mirrors',
] as const;

/** weft.local.yaml may only override these (plus `weft`, the schema version). */
export const LOCAL_MANIFEST_KEYS = ['weft', 'sources', 'vars', 'env'] as const;

export const SOURCE_KINDS = ['git', 'archive', 'local', 'svn', 'hg'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Keys every source kind accepts (`local` sources do not take `path`). */
export const COMMON_SOURCE_KEYS = ['path', 'depends', 'groups', 'env', 'setup'] as const;

/** Keys that belong to one kind; dropped when an overriding file switches the kind. */
export const KIND_SPECIFIC_KEYS = ['ref', 'commit', 'depth', 'submodules', 'integrity', 'strip', 'format'] as const;

export const KIND_KEYS: Readonly<Record<SourceKind, readonly string[]>> = {
  git: ['git', 'ref', 'commit', 'depth', 'submodules'],
  archive: ['archive', 'integrity', 'strip', 'format'],
  local: ['local'],
  svn: ['svn', 'ref'],
  hg: ['hg', 'ref'],
};

export const SOURCE_KEYS = [...SOURCE_KINDS, ...KIND_SPECIFIC_KEYS, ...COMMON_SOURCE_KEYS] as const;

export const SETUP_KEYS = ['run', 'when'] as const;
export const SETUP_WHEN = ['changed', 'always', 'once'] as const;
export const IMPORT_KEYS = ['from', 'file', 'only'] as const;
export const ENV_OP_KEYS = ['prepend', 'append', 'set', 'unset'] as const;
export const ARCHIVE_FORMATS: readonly ArchiveFormat[] = ['tar', 'tar.gz', 'tar.xz', 'tar.bz2', 'zip'];

/** Names interpolation reserves: `${env.X}`, `${source.X}`, `${workspace}`. */
export const RESERVED_VAR_NAMES = ['env', 'source', 'workspace'] as const;

/**
 * Variables that hold ':'-separated path lists, so a plain string prepends one path.
 * LUA_PATH/LUA_CPATH are left out on purpose: they use ';' and templates with '?'.
 */
export const LIST_VARIABLES: ReadonlySet<string> = new Set([
  'PATH',
  'PYTHONPATH',
  'MYPYPATH',
  'NODE_PATH',
  'MANPATH',
  'INFOPATH',
  'LD_LIBRARY_PATH',
  'LD_RUN_PATH',
  'DYLD_LIBRARY_PATH',
  'DYLD_FALLBACK_LIBRARY_PATH',
  'DYLD_FRAMEWORK_PATH',
  'LIBRARY_PATH',
  'CPATH',
  'C_INCLUDE_PATH',
  'CPLUS_INCLUDE_PATH',
  'OBJC_INCLUDE_PATH',
  'PKG_CONFIG_PATH',
  'CLASSPATH',
  'PERL5LIB',
  'PERLLIB',
  'RUBYLIB',
  'GEM_PATH',
  'GOPATH',
  'CMAKE_PREFIX_PATH',
  'CMAKE_MODULE_PATH',
  'CMAKE_INCLUDE_PATH',
  'CMAKE_LIBRARY_PATH',
  'CMAKE_PROGRAM_PATH',
  'XDG_DATA_DIRS',
  'XDG_CONFIG_DIRS',
  'ACLOCAL_PATH',
  'JULIA_LOAD_PATH',
  'ERL_LIBS',
  'GUILE_LOAD_PATH',
  'GUILE_LOAD_COMPILED_PATH',
  'OCAMLPATH',
  'R_LIBS',
  'R_LIBS_USER',
  'FPATH',
  'CDPATH',
  'GI_TYPELIB_PATH',
  'QT_PLUGIN_PATH',
  'QML2_IMPORT_PATH',
  'GST_PLUGIN_PATH',
]);
