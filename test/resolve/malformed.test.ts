// Every malformed manifest fails with one precise problem: its code, where, what, and how
// to fix it — and loading it writes nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertProblem, rejects, testWorkspace, type Expected } from '../helpers/manifest.js';

interface Row extends Expected {
  name: string;
  yaml: string;
  /** Other files of the workspace (relative path → content). */
  files?: Record<string, string>;
  dirs?: string[];
  env?: Record<string, string>;
  /** How many problems in all (default 1). */
  count?: number;
}

const SHA = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const rows: Row[] = [
  {
    name: 'unclosed flow list',
    yaml: 'sources:\n  a: {git: [x\n',
    code: 'WEFT_E_MANIFEST_SYNTAX',
    at: '3:1',
    message: 'invalid YAML',
    hint: 'fix the YAML syntax',
  },
  {
    name: 'a duplicate key',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n  a:\n    git: https://h/b.git\n',
    code: 'WEFT_E_MANIFEST_DUPLICATE_KEY',
    at: '4:3',
    message: '`sources`: key `a` appears twice (first at line 2)',
    hint: 'each key may appear once',
  },
  {
    name: 'a tab used for indentation',
    yaml: 'sources:\n\ta:\n',
    code: 'WEFT_E_MANIFEST_SYNTAX',
    at: '2:1',
    message: 'Tabs',
    hint: 'spaces, not tabs',
  },
  {
    name: 'an escape sequence written as a YAML escape in a value',
    yaml: 'name: "demo\\e]0;owned\\a"\nsources: {}\n',
    code: 'WEFT_E_MANIFEST_CONTROL_CHAR',
    at: '1:7',
    message: 'control character U+001B',
    hint: 'control characters are commands',
  },
  {
    name: 'a raw control character in a key',
    yaml: 'sources:\n  "a\x07b":\n    local: .\n',
    code: 'WEFT_E_MANIFEST_CONTROL_CHAR',
    at: '2:3',
    message: 'control character U+0007',
    hint: 'only tab and new line',
  },
  {
    name: 'an empty file',
    yaml: '# nothing yet\n',
    code: 'WEFT_E_MANIFEST_EMPTY',
    at: '1:1',
    message: 'is empty',
    hint: 'weft init',
  },
  {
    name: 'a top level that is a list',
    yaml: '- git: https://h/a.git\n',
    code: 'WEFT_E_MANIFEST_NOT_MAP',
    at: '1:1',
    message: 'must be a map',
    hint: 'start the file with `sources:`',
  },
  {
    name: 'two YAML documents',
    yaml: 'sources: {}\n---\nname: x\n',
    code: 'WEFT_E_MANIFEST_SYNTAX',
    at: '2:1',
    message: 'multiple documents',
    hint: 'remove the `---`',
  },
  {
    name: 'a newer schema version',
    yaml: 'weft: 3\nsources:\n  a: {bogus: 1}\n',
    code: 'WEFT_E_VERSION',
    at: '1:7',
    message: 'this manifest needs weft >= 3',
    hint: 'upgrade weft',
  },
  {
    name: 'a schema version that is not a positive integer',
    yaml: 'weft: 1.5\nsources: {}\n',
    code: 'WEFT_E_MANIFEST_VERSION',
    at: '1:7',
    message: 'whole number of at least 1',
    hint: '`weft: 1`',
  },
  {
    name: 'a schema version written as a string',
    yaml: 'weft: "x"\nsources: {}\n',
    code: 'WEFT_E_MANIFEST_VERSION',
    at: '1:7',
    message: 'got "x"',
    hint: '`weft: 1`',
  },
  {
    name: 'an empty schema version',
    yaml: 'weft:\nsources: {}\n',
    code: 'WEFT_E_MANIFEST_VERSION',
    at: '1:1',
    message: 'got an empty value',
    hint: 'or leave `weft:` out',
  },
  {
    name: 'a misspelt top-level key',
    yaml: 'soruces:\n  a: {git: https://h/a.git}\n',
    code: 'WEFT_E_MANIFEST_UNKNOWN_KEY',
    at: '1:1',
    message: 'unknown key `soruces` in the manifest',
    hint: 'did you mean `sources`?',
  },
  {
    name: 'a misspelt source key',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    reff: main\n',
    code: 'WEFT_E_MANIFEST_UNKNOWN_KEY',
    at: '4:5',
    message: 'unknown key `reff` in source `a`',
    hint: 'did you mean `ref`?',
  },
  {
    name: 'an unknown source key with no close match',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    frobnicate: 1\n',
    code: 'WEFT_E_MANIFEST_UNKNOWN_KEY',
    at: '4:5',
    message: '`frobnicate`',
    hint: /^valid keys in source `a`: `git`, `archive`/,
  },
  {
    name: 'an invalid source name',
    yaml: 'sources:\n  -bad:\n    git: https://h/a.git\n',
    code: 'WEFT_E_MANIFEST_SOURCE_NAME',
    at: '2:3',
    message: '`-bad` is not a valid source name',
    hint: 'start with an ASCII letter or digit',
  },
  {
    name: 'a source name with a letter outside ASCII: the hint says which',
    yaml: 'sources:\n  caf\u00e9:\n    git: https://h/a.git\n',
    code: 'WEFT_E_MANIFEST_SOURCE_NAME',
    at: '2:3',
    message: '`caf\u00e9` is not a valid source name',
    hint: /only ASCII letters, .* \(here: `\u00e9` \(U\+00E9\)\)$/,
  },
  {
    name: 'a variable name with a space: the hint says so',
    yaml: 'vars:\n  "my var": x\nsources: {}\n',
    code: 'WEFT_E_VARS_NAME',
    at: '2:3',
    message: '`my var` cannot be used as a variable name',
    hint: /\(here: a space\)$/,
  },

  {
    name: 'a source with no kind',
    yaml: 'sources:\n  a:\n    ref: main\n',
    code: 'WEFT_E_MANIFEST_SOURCE_KIND',
    at: '2:3',
    message: 'source `a` does not say what it is',
    hint: 'add exactly one',
  },
  {
    name: 'a source with two kinds',
    yaml: `sources:\n  a:\n    git: https://h/a.git\n    archive: https://h/a.tgz\n    integrity: ${SHA}\n`,
    code: 'WEFT_E_MANIFEST_SOURCE_KIND',
    at: '4:5',
    message: 'has both `git` and `archive`',
    hint: 'keep one of them',
  },
  {
    name: 'a list where a string belongs',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    ref: [main, dev]\n',
    code: 'WEFT_E_MANIFEST_TYPE',
    at: '4:10',
    message: 'expected a string, got a list',
    hint: 'single string',
  },
  {
    name: 'a depth of zero',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    depth: 0\n',
    code: 'WEFT_E_MANIFEST_VALUE',
    at: '4:12',
    message: 'must be at least 1, got 0',
    hint: 'whole number of at least 1',
  },
  {
    name: 'a depth that is a word',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    depth: deep\n',
    code: 'WEFT_E_MANIFEST_TYPE',
    at: '4:12',
    message: 'expected a whole number, got a string',
    hint: 'e.g. `depth: 1`',
  },
  {
    name: 'submodules as a string',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    submodules: "yes"\n',
    code: 'WEFT_E_MANIFEST_TYPE',
    at: '4:17',
    message: 'expected true or false, got a string',
    hint: '`submodules: true`',
  },
  {
    name: 'an absolute checkout path',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    path: /opt/a\n',
    code: 'WEFT_E_MANIFEST_PATH',
    at: '4:11',
    message: 'it is absolute',
    hint: 'relative to `root`',
  },
  {
    name: 'a checkout path escaping the root',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    path: x/../../a\n',
    code: 'WEFT_E_MANIFEST_PATH',
    at: '4:11',
    message: 'leads out of `root`',
    hint: 'keep checkouts under `root`',
  },
  {
    name: 'two sources in one directory',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    path: lib\n  b:\n    git: https://h/b.git\n    path: ./lib/\n',
    code: 'WEFT_E_MANIFEST_PATH_CONFLICT',
    at: '7:11',
    message: 'sources `a` and `b` both use the directory',
    hint: 'give each source its own directory',
  },
  {
    name: 'one source nested in another',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n  a-b:\n    git: https://h/c.git\n  b:\n    git: https://h/b.git\n    path: a/sub\n',
    code: 'WEFT_E_MANIFEST_PATH_CONFLICT',
    at: '8:11',
    message: 'source `b` (',
    hint: 'change `path` of `b` or `a`',
  },
  {
    name: 'a local directory that does not exist',
    yaml: 'sources:\n  mine:\n    local: ../nowhere-at-all\n',
    code: 'WEFT_E_MANIFEST_LOCAL_MISSING',
    at: '3:12',
    message: 'does not exist',
    hint: 'create it, or fix the path',
  },
  {
    name: 'a path on a local source',
    yaml: 'sources:\n  mine:\n    local: ./mine\n    path: elsewhere\n',
    dirs: ['mine'],
    code: 'WEFT_E_MANIFEST_KIND_KEY',
    at: '4:5',
    message: '`path` does not apply to a local source',
    hint: 'remove `path`',
  },
  {
    name: 'an archive key on a git source',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    strip: 1\n',
    code: 'WEFT_E_MANIFEST_KIND_KEY',
    at: '4:5',
    message: '`strip` does not apply to a git source',
    hint: 'git sources take `git`, `ref`',
  },
  {
    name: 'a git URL that looks like an option',
    yaml: 'sources:\n  a:\n    git: --upload-pack=touch /tmp/x\n',
    code: 'WEFT_E_MANIFEST_URL',
    at: '3:10',
    message: 'starts with `-`',
    hint: 'allowed: https, http, ssh, git, file',
  },
  {
    name: 'a git ext:: transport',
    yaml: "sources:\n  a:\n    git: 'ext::sh -c touch% /tmp/pwned'\n",
    code: 'WEFT_E_MANIFEST_URL',
    at: '3:10',
    message: '`ext::` runs any command',
    hint: 'allowed:',
  },
  {
    name: 'a git URL with a scheme that is not allowed',
    yaml: 'sources:\n  a:\n    git: ftp://h/a.git\n',
    code: 'WEFT_E_MANIFEST_URL',
    at: '3:10',
    message: 'the `ftp:` scheme is not allowed',
    hint: 'allowed: https',
  },
  {
    name: 'an ssh host that is an option',
    yaml: 'sources:\n  a:\n    git: ssh://-oProxyCommand=touch/a.git\n',
    code: 'WEFT_E_MANIFEST_URL',
    at: '3:10',
    message: 'ssh reads as an option',
    hint: 'fix the host name',
  },
  {
    name: 'a ref with ..',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    ref: main..dev\n',
    code: 'WEFT_E_MANIFEST_REF',
    at: '4:10',
    message: 'contains `..`',
    hint: 'a branch, a tag or a full commit',
  },
  {
    name: 'a ref that looks like an option',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    ref: --orphan\n',
    code: 'WEFT_E_MANIFEST_REF',
    at: '4:10',
    message: 'starts with `-`',
    hint: 'e.g. `ref: main`',
  },
  {
    name: 'a commit that is not a full hash',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    commit: abc123\n',
    code: 'WEFT_E_MANIFEST_REF',
    at: '4:13',
    message: 'not a full commit hash',
    hint: 'git rev-parse HEAD',
  },
  {
    name: 'an archive without integrity',
    yaml: 'sources:\n  n:\n    archive: https://h/n.tar.gz\n',
    code: 'WEFT_E_MANIFEST_MISSING_KEY',
    at: '2:3',
    message: 'archive source `n` has no `integrity`',
    hint: 'add `integrity:`',
  },
  {
    name: 'an integrity digest of the wrong length',
    yaml: 'sources:\n  n:\n    archive: https://h/n.tar.gz\n    integrity: sha256-AAAA\n',
    code: 'WEFT_E_MANIFEST_INTEGRITY',
    at: '4:16',
    message: 'a sha256 digest is 32 bytes, this one decodes to 3',
    hint: 'sha256-<base64>',
  },
  {
    name: 'an archive URL without a known extension',
    yaml: `sources:\n  n:\n    archive: https://h/download?id=3\n    integrity: ${SHA}\n`,
    code: 'WEFT_E_MANIFEST_ARCHIVE_FORMAT',
    at: '3:14',
    message: 'cannot tell the archive format',
    hint: 'add `format:` with one of `tar`',
  },
  {
    name: 'an unknown archive format',
    yaml: `sources:\n  n:\n    archive: https://h/n.bin\n    integrity: ${SHA}\n    format: rar\n`,
    code: 'WEFT_E_MANIFEST_ARCHIVE_FORMAT',
    at: '5:13',
    message: '`format` `rar`',
    hint: 'use one of `tar`, `tar.gz`',
  },
  {
    name: 'an svn revision that is a branch name',
    yaml: 'sources:\n  d:\n    svn: https://svn.h/docs/trunk\n    ref: stable\n',
    code: 'WEFT_E_MANIFEST_REF',
    at: '4:10',
    message: 'an svn revision is a number or HEAD',
    hint: 'branches are part of the svn URL',
  },
  {
    name: 'an invalid environment variable name',
    yaml: 'env:\n  MY-VAR: x\n',
    code: 'WEFT_E_ENV_NAME',
    at: '2:3',
    message: '`MY-VAR` of the workspace is not a valid environment variable name',
    hint: /only ASCII letters, digits and `_` \(here: `-` \(U\+002D\)\)$/,
  },
  {
    name: 'a list entry holding the separator',
    yaml: 'env:\n  PATH: [bin, "a:b"]\n',
    code: 'WEFT_E_ENV_PATH',
    at: '2:15',
    message: 'contains `:`, the list separator',
    hint: '`[a, b]` instead of `a:b`',
  },
  {
    name: 'set combined with prepend',
    yaml: 'env:\n  FOO: {set: x, prepend: y}\n',
    code: 'WEFT_E_ENV_FORM',
    at: '2:17',
    message: '`set` cannot be combined with `prepend`',
    hint: 'use them alone',
  },
  {
    name: 'unset given false',
    yaml: 'env:\n  FOO: {unset: false}\n',
    code: 'WEFT_E_MANIFEST_TYPE',
    at: '2:16',
    message: 'expected true, got a boolean (false)',
    hint: '`{unset: true}`',
  },
  {
    name: 'an empty environment value',
    yaml: 'env:\n  FOO:\n',
    code: 'WEFT_E_ENV_FORM',
    at: '2:3',
    message: 'got an empty value',
    hint: '`""` sets it empty',
  },
  {
    name: 'two sources setting one variable differently',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    env: {MODE: fast}\n  b:\n    git: https://h/b.git\n    env:\n      MODE: slow\n',
    code: 'WEFT_E_ENV_CONFLICT',
    at: '8:13',
    message: 'sources disagree about MODE: `a` (weft.yaml:4:17) sets it to `fast`, `b` (weft.yaml:8:13) sets it to `slow`',
    hint: 'set it once in the workspace `env:`',
  },
  {
    name: 'an undefined variable',
    yaml: 'vars:\n  github: https://github.com\nsources:\n  a:\n    git: ${githb}/a.git\n',
    code: 'WEFT_E_VARS_UNDEFINED',
    at: '5:10',
    message: '`${githb}`',
    hint: 'did you mean `github`? Otherwise define it under `vars:`',
  },
  {
    name: 'an unset environment variable',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    ref: "v-${env.WEFT_TEST_NOT_SET}"\n',
    code: 'WEFT_E_VARS_ENV_UNSET',
    at: '4:13',
    message: 'WEFT_TEST_NOT_SET, which is not set',
    hint: 'export WEFT_TEST_NOT_SET or define it in vars',
  },
  {
    name: 'variables that refer to each other',
    yaml: 'vars:\n  a: x${b}\n  b: y${a}\nsources:\n  s:\n    git: https://h/${a}.git\n',
    code: 'WEFT_E_VARS_CYCLE',
    at: '3:7',
    message: 'a → b → a',
    hint: 'break the cycle',
  },
  {
    name: 'an unclosed ${',
    yaml: 'name: lab-${oops\n',
    code: 'WEFT_E_VARS_SYNTAX',
    at: '1:11',
    message: 'never closed',
    hint: '`$${` for a literal',
  },
  {
    name: 'a reference to a source that does not exist',
    yaml: 'sources:\n  twisted:\n    git: https://h/t.git\nenv:\n  TWISTED: ${source.twisetd}/bin\n',
    code: 'WEFT_E_VARS_UNDEFINED',
    at: '5:12',
    message: '`${source.twisetd}`',
    hint: 'did you mean `twisted`?',
  },
  {
    name: 'a dependency on an unknown source',
    yaml: 'sources:\n  twisted:\n    git: https://h/t.git\n  epsilon:\n    git: https://h/e.git\n    depends: [twistd]\n',
    code: 'WEFT_E_MANIFEST_UNKNOWN_SOURCE',
    at: '6:15',
    message: 'depends on `twistd`',
    hint: 'did you mean `twisted`?',
  },
  {
    name: 'a dependency on an unknown source close only to the source itself',
    yaml: 'sources:\n  lib:\n    git: https://h/l.git\n    depends: [lib2]\n  app:\n    git: https://h/a.git\n',
    code: 'WEFT_E_MANIFEST_UNKNOWN_SOURCE',
    at: '4:15',
    message: 'depends on `lib2`',
    hint: 'valid source names: `app`',
  },
  {
    name: 'a dependency cycle',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    depends: [b]\n  b:\n    git: https://h/b.git\n    depends: c\n  c:\n    git: https://h/c.git\n    depends: [a]\n',
    code: 'WEFT_E_CYCLE',
    at: '4:14',
    message: 'a → b → c → a',
    hint: 'remove one of these `depends`',
  },
  {
    name: 'an import from an unknown source',
    yaml: 'sources:\n  epsilon:\n    git: https://h/e.git\nimport:\n  - from: epsilom\n',
    code: 'WEFT_E_MANIFEST_UNKNOWN_SOURCE',
    at: '5:11',
    message: '`import` names source `epsilom`',
    hint: 'did you mean `epsilon`?',
  },
  {
    name: 'a version range that is not one',
    yaml: 'requires:\n  git: ">= 2.30 or so"\n',
    code: 'WEFT_E_MANIFEST_REQUIRES',
    at: '2:8',
    message: '`>=` is not a version comparator',
    hint: '`">=3.9 <4"`',
  },
  {
    name: 'an unknown setup condition',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    setup:\n      - run: make\n        when: allways\n',
    code: 'WEFT_E_MANIFEST_VALUE',
    at: '6:15',
    message: '`when` of a `setup` step of source `a` is `allways`',
    hint: 'did you mean `always`?',
  },
  {
    name: 'a setup step that is a list',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    setup:\n      - [make, all]\n',
    code: 'WEFT_E_MANIFEST_TYPE',
    at: '5:9',
    message: 'expected a command or `{run: …, when: …}`, got a list',
    hint: '`- run: make`',
  },
  {
    name: 'a reserved variable name',
    yaml: 'vars:\n  workspace: /tmp\n',
    code: 'WEFT_E_VARS_NAME',
    at: '2:3',
    message: '`workspace` cannot be used as a variable name',
    hint: 'reserved',
  },
  {
    name: 'weft.local.yaml setting the name',
    yaml: 'sources: {}\n',
    files: { 'weft.local.yaml': 'sources: {}\nname: mine\n' },
    code: 'WEFT_E_MANIFEST_LOCAL_KEY',
    at: 'weft.local.yaml:2:1',
    message: '`name` cannot be set in weft.local.yaml',
    hint: 'may only override `sources`, `vars` and `env`',
  },
  {
    name: 'a missing include',
    yaml: 'include:\n  - base.weft.yaml\n  - ./missing.yaml\n',
    files: { 'base.weft.yaml': 'sources: {}\n' },
    code: 'WEFT_E_INCLUDE_MISSING',
    at: '3:5',
    message: 'missing.yaml does not exist',
    hint: 'relative to the file that includes it',
  },
  {
    name: 'an include cycle',
    yaml: 'include: [a.yaml]\n',
    files: { 'a.yaml': 'include: [sub/b.yaml]\n', 'sub/b.yaml': 'include: [../weft.yaml]\n' },
    code: 'WEFT_E_INCLUDE_CYCLE',
    at: 'sub/b.yaml:1:11',
    message: 'include cycle: weft.yaml → a.yaml → sub/b.yaml → weft.yaml',
    hint: 'remove one of these includes',
  },
  {
    name: 'a problem inside an included file',
    yaml: 'include: [base.yaml]\nsources:\n  b:\n    git: https://h/b.git\n',
    files: { 'base.yaml': 'sources:\n  a:\n    git: https://h/a.git\n    deptch: 1\n' },
    code: 'WEFT_E_MANIFEST_UNKNOWN_KEY',
    at: 'base.yaml:4:5',
    message: 'unknown key `deptch`',
    hint: 'did you mean `depth`?',
  },
  {
    name: 'a syntax error inside an included file',
    yaml: 'include: [base.yaml]\n',
    files: { 'base.yaml': 'sources:\n  a: {git: x\n' },
    code: 'WEFT_E_MANIFEST_SYNTAX',
    at: 'base.yaml:3:1',
    message: 'invalid YAML',
    hint: 'fix the YAML syntax',
  },
  {
    name: 'an include path using a variable',
    yaml: 'include: ["${dir}/base.yaml"]\n',
    code: 'WEFT_E_INCLUDE_PATH',
    at: '1:11',
    message: 'include paths are read before variables exist',
    hint: 'write the path literally',
  },
  {
    name: 'a key that is not a name',
    yaml: 'sources:\n  [a, b]: {git: https://h/a.git}\n',
    code: 'WEFT_E_MANIFEST_TYPE',
    at: '2:3',
    message: 'a key must be a plain name, got a list',
    hint: 'write keys as plain names',
  },
  {
    name: 'a byte-order mark before a problem on line 1',
    yaml: '\ufeffsorces: {}\n',
    code: 'WEFT_E_MANIFEST_UNKNOWN_KEY',
    at: '1:1',
    message: '`sorces`',
    hint: 'did you mean `sources`?',
  },
  {
    name: 'a checkout inside the workspace\'s .weft directory',
    yaml: 'sources:\n  a:\n    git: https://h/a.git\n    path: .weft/a\n',
    code: 'WEFT_E_MANIFEST_PATH',
    at: '4:11',
    message: "inside the workspace's .weft directory",
    hint: '.weft belongs to weft',
  },
  {
    name: 'a mirror that rewrites to a forbidden transport',
    yaml: 'mirrors:\n  "https://h/": "ext::sh -c x "\nsources:\n  a:\n    git: https://h/a.git\n',
    code: 'WEFT_E_MANIFEST_URL',
    at: '2:17',
    message: 'mirror `https://h/` turns the URL of source `a` into',
    hint: 'allowed:',
  },
  {
    name: 'a mirror prefix that is not a URL',
    yaml: 'mirrors:\n  "": "https://m/"\n',
    code: 'WEFT_E_MANIFEST_VALUE',
    at: '2:3',
    message: 'mirror prefix `` is not the start of a URL',
    hint: 'the URL prefix to replace',
  },
  {
    name: 'a source that is empty',
    yaml: 'sources:\n  a:\n',
    code: 'WEFT_E_MANIFEST_TYPE',
    at: '2:3',
    message: 'source `a`: expected a map, got an empty value',
    hint: '`key: value` lines',
  },
  {
    name: 'merge keys that expand exponentially',
    yaml: 'x-0: &a0 {depth: 1}\nx-1: &a1 {<<: [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]}\nx-2: &a2 {<<: [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]}\nx-3: &a3 {<<: [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]}\nx-4: &a4 {<<: [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]}\nx-5: &a5 {<<: [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]}\nx-6: &a6 {<<: [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]}\nsources:\n  s:\n    <<: *a6\n    git: https://h/s.git\n',
    code: 'WEFT_E_MANIFEST_ALIASES',
    at: '2:11',
    message: 'expand to more than 10000 maps',
    hint: 'write the shared fields out',
  },
];

for (const row of rows) {
  test(`${row.name} is refused with ${row.code}`, async () => {
    const ws = testWorkspace({ 'weft.yaml': row.yaml, ...row.files });
    try {
      ws.mkdir(...(row.dirs ?? []));
      const before = ws.snapshot();
      const err = await rejects(() => ws.load({ env: row.env ?? {} }));
      assert.is(err.exitCode, 2, 'manifest problems exit with 2');
      const found = assertProblem(err, ws, row);
      assert.is(err.all().length, row.count ?? 1, `problems: ${err.all().map((e) => `${e.code}: ${e.message}`).join(' | ')}`);
      assert.is(found, err, 'the problem is the one thrown');
      assert.equal(ws.snapshot(), before, 'loading wrote nothing');
    } finally {
      ws.cleanup();
    }
  });
}

test('a manifest or include that is not UTF-8 is refused at its first stray byte, not read with U+FFFD', async () => {
  const ws = testWorkspace({ 'weft.yaml': 'include: [./base.weft.yaml]\nname: "café"\nsources: {}\n' });
  try {
    // Latin-1 "é" (0xe9) after a UTF-8 "é": column 14 counts characters, as editors do.
    writeFileSync(join(ws.dir, 'base.weft.yaml'), Buffer.concat([Buffer.from('env:\n  WHO: "café '), Buffer.from([0xe9]), Buffer.from('"\n')]));
    assert.is(readFileSync(join(ws.dir, 'base.weft.yaml'))[16], 0xc3, 'the first é is two UTF-8 bytes');
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_INCLUDE_READ', at: 'base.weft.yaml:2:14', message: 'is not UTF-8 text (byte 0xe9 here)', hint: 'save the file as UTF-8' });
    assert.is(err.exitCode, 2);
  } finally {
    ws.cleanup();
  }
});

test('the table covers at least thirty distinct problems', () => {
  assert.ok(rows.length >= 30);
  assert.is(new Set(rows.map((r) => r.name)).size, rows.length);
});

test.run();
