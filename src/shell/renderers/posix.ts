// sh, bash and zsh share one rendering: plain POSIX that dash, bash and zsh all run alike.
// List variables are computed in the shell from its current value (weft's entries taken
// out, then put back in place), so sourcing twice equals once and a file rendered at
// `weft up` stays right in a shell whose PATH differs. No word splitting anywhere (zsh
// doesn't split unquoted expansions); `${VAR-}` everywhere for `set -u` shells.
//
// Export status: a variable the shell had set but not exported is marked `-NAME` in the
// record when weft first changes it, and leaving assigns it back without exporting it.
// bash and zsh tell without a fork (exportOps in bash.ts and zsh.ts). Plain sh could take
// the export away (unset, then assign), but can tell only from `export -p` in a command
// substitution, whose lines differ between the shells that run this file (`export NAME=…`
// in dash and mksh, `declare -x NAME=…` in bash outside POSIX mode); a misreading would
// un-export a variable programs need. So sh treats every variable as exported, and one it
// had unexported comes back exported (docs/shells.md says so).
import type { EnvModel, VarChange } from '../model.js';
import { composeList } from '../lists.js';
import { posixQuote as q } from '../quote.js';
import { MARKER_NAME, MARKER_WORKSPACE, RECORD_VAR, isReplaced, prevName, recordOf } from '../record.js';
import { type SystemDefault, systemDefaultOf } from '../system-default.js';
import type { ShellRenderer } from './types.js';

// __weft_list CURRENT OURS PRE APP: sets __weft_out to ':'-prefixed elements, i.e. PRE,
// then each element of CURRENT not in OURS (':a:b:' form), then APP. A leading ':' on
// every element keeps empty elements exact; the caller strips the first one.
const LIST_HELPER = `__weft_list() {
  __weft_out=$3
  __weft_rest=$1
  if [ -n "$__weft_rest" ]; then
    __weft_rest=$__weft_rest:
    while [ -n "$__weft_rest" ]; do
      __weft_e=\${__weft_rest%%:*}
      __weft_rest=\${__weft_rest#*:}
      case $2 in
        *":$__weft_e:"*) ;;
        *) __weft_out=$__weft_out:$__weft_e ;;
      esac
    done
  fi
  __weft_out=$__weft_out$4
}`;

// __weft_added NAME CURRENT ENTRY...: adds +NAME and the entries weft puts in NAME to the
// record being built in __weft_rec (record.ts): each one CURRENT lacks, or that the record
// in the environment already lists for NAME. One CURRENT already has is the user's, and
// stays when weft leaves.
const ADDED_HELPER = `__weft_added() {
  __weft_c=":$2:"
  __weft_p=":\${${RECORD_VAR}-}:"
  case $__weft_p in
    *":+$1:"*) __weft_p=":\${__weft_p#*":+$1:"}"; __weft_p="\${__weft_p%%:[-+=]*}:" ;;
    *) __weft_p= ;;
  esac
  __weft_rec="$__weft_rec:+$1"
  shift 2
  for __weft_e in "$@"; do
    case $__weft_c in
      *":$__weft_e:"*) case $__weft_p in *":$__weft_e:"*) ;; *) continue ;; esac ;;
    esac
    __weft_rec="$__weft_rec:$__weft_e"
  done
}`;

/** The file's scratch variables: the list helpers', then the record being built. */
export const SCRATCH_VARS = ['__weft_out', '__weft_rest', '__weft_e', '__weft_c', '__weft_p', '__weft_rec'];
const CLEANUP = `unset -f __weft_list\nunset ${SCRATCH_VARS.slice(0, 3).join(' ')}`;
const APPLY_CLEANUP = `unset -f __weft_list __weft_added\nunset ${SCRATCH_VARS.join(' ')}`;

/** What a shell can tell about a variable's export status, and how it takes it away. */
export interface ExportOps {
  /** Definitions `exported` needs, removed again at the end (`cleanup`). */
  helper?: string;
  cleanup?: string;
  /** A command that succeeds when NAME, which is set, is exported. */
  exported(name: string): string;
  /** Commands that set NAME to the value of `expr` (a quoted expansion), not exported. */
  assignUnexported(name: string, expr: string): string;
}

const prefixed = (paths: string[]): string => paths.map((p) => `:${p}`).join('');
const ours = (v: { prepend: string[]; append: string[] }): string => `:${[...v.prepend, ...v.append].join(':')}:`;

function header(model: EnvModel, what: string): string {
  // The name and workspace are user data: never let one end the comment line.
  const oneLine = (s: string) => s.replace(/[\r\n]/g, ' ');
  return `# weft: ${what} for ${oneLine(model.name)} (${oneLine(model.workspace)}); generated, safe to source again`;
}

const inRecord = (el: string): string => `*${q(`:${el}:`)}*`;

// Before weft first changes NAME: a set NAME that is not exported is marked `-NAME` in the
// record being built; one applied before keeps the mark the record already has.
function noteUnexported(name: string, ops: ExportOps): string {
  return [
    `case ":\${${RECORD_VAR}-}:" in`,
    `  ${inRecord(`-${name}`)}) __weft_rec="$__weft_rec"${q(`:-${name}`)} ;;`,
    `  ${inRecord(`=${name}`)}|${inRecord(`+${name}`)}) ;;`,
    `  *) [ -z "\${${name}+x}" ] || ${ops.exported(name)} || __weft_rec="$__weft_rec"${q(`:-${name}`)} ;;`,
    'esac',
  ].join('\n');
}

// NAME set to `expr` when leaving: exported, unless the record says it was not.
function restore(name: string, expr: string, ops: ExportOps | undefined): string {
  if (!ops) return `export ${name}=${expr}`;
  return `case ":\${${RECORD_VAR}-}:" in ${inRecord(`-${name}`)}) ${ops.assignUnexported(name, expr)} ;; *) export ${name}=${expr} ;; esac`;
}

// The value NAME had, kept for leaving in WEFT_PREV_NAME: exported (a shell started inside,
// which inherits the environment, takes it out from the record and that), except the value
// of a variable the shell did not export, which stays a variable of this shell only: the
// programs started inside must not see what the user kept from them, and a shell started
// inside never had it either (leaving there unsets NAME).
function savePrevious(name: string, ops: ExportOps | undefined): string {
  const save = ops
    ? `case ":\${__weft_rec-}:" in ${inRecord(`-${name}`)}) ${ops.assignUnexported(prevName(name), `"$${name}"`)} ;; *) export ${prevName(name)}="$${name}" ;; esac`
    : `export ${prevName(name)}="$${name}"`;
  return [
    `case ":\${${RECORD_VAR}-}:" in ${inRecord(`=${name}`)}) ;; *)`,
    `  if [ -n "\${${name}+x}" ]; then ${save}; else unset ${prevName(name)}; fi ;;`,
    'esac',
  ].join('\n');
}

function applyVar(v: VarChange, dynamicRecord: boolean, ops: ExportOps | undefined): string {
  const lines: string[] = [];
  const dflt = systemDefaultOf(v.name);
  if (ops) lines.push(noteUnexported(v.name, ops));
  if (dynamicRecord) {
    if (isReplaced(v)) lines.push(`__weft_rec="$__weft_rec"${q(`:=${v.name}`)}`);
    else if (v.type === 'list') lines.push(`__weft_added ${v.name} "\${${v.name}-}" ${[...v.prepend, ...v.append].map(q).join(' ')}`);
  }
  if (isReplaced(v)) lines.push(savePrevious(v.name, ops));
  if (v.type === 'set') lines.push(`export ${v.name}=${q(v.value)}`);
  else if (v.type === 'unset') lines.push(`unset ${v.name}`);
  else if (v.base !== undefined) lines.push(`export ${v.name}=${q(composeList(v.name, v.base, v.prepend, v.append))}`);
  else if (dflt) lines.push(...applyKeepingDefault(v, dflt));
  else {
    lines.push(`__weft_list "\${${v.name}-}" ${q(ours(v))} ${q(prefixed(v.prepend))} ${q(prefixed(v.append))}`);
    lines.push(`export ${v.name}="\${__weft_out#:}"`);
  }
  return lines.join('\n');
}

// composeList's steps for a variable whose absence means a default (system-default.ts): the
// rest alone first, the stand-in when it is empty, then weft's entries around it — after a
// trailing empty element for `last`, which must stay last.
function applyKeepingDefault(v: { name: string; prepend: string[]; append: string[] }, dflt: SystemDefault): string[] {
  const pre = q(prefixed(v.prepend));
  const app = q(prefixed(v.append));
  const compose =
    dflt.at === 'last'
      ? ['case $__weft_out in', `  *:) __weft_out=${pre}\${__weft_out%:}${app}: ;;`, `  *) __weft_out=${pre}$__weft_out${app} ;;`, 'esac']
      : [`__weft_out=${pre}$__weft_out${app}`];
  return [
    `__weft_list "\${${v.name}-}" ${q(ours(v))} '' ''`,
    `[ -n "$__weft_out" ] || __weft_out=${q(prefixed([...dflt.standIn]))}`,
    ...compose,
    `export ${v.name}="\${__weft_out#:}"`,
  ];
}

function unsetVar(v: VarChange, ops: ExportOps | undefined): string {
  if (isReplaced(v)) {
    return [
      `case ":\${${RECORD_VAR}-}:" in ${inRecord(`=${v.name}`)})`,
      `  if [ -n "\${${prevName(v.name)}+x}" ]; then ${restore(v.name, `"$${prevName(v.name)}"`, ops)}; unset ${prevName(v.name)}; else unset ${v.name}; fi ;;`,
      'esac',
    ].join('\n');
  }
  if (v.type !== 'list') throw new Error('unreachable: only lists are not replaced');
  // Nothing left but a default's stand-in means the variable was unset before weft.
  const dflt = systemDefaultOf(v.name);
  const left = dflt ? `[ -n "$__weft_out" ] && [ "$__weft_out" != ${q(prefixed([...dflt.standIn]))} ]` : '[ -n "$__weft_out" ]';
  return [
    `__weft_list "\${${v.name}-}" ${q(ours(v))} '' ''`,
    `if ${left}; then ${restore(v.name, '"${__weft_out#:}"', ops)}; else unset ${v.name}; fi`,
  ].join('\n');
}

const needsHelper = (model: EnvModel, forUnset: boolean): boolean =>
  model.vars.some((v) => v.type === 'list' && (forUnset ? !isReplaced(v) : v.base === undefined));

/** The POSIX rendering, for a shell that can (`ops`) or cannot tell what is exported. */
export function posixRendering(ops?: ExportOps): ShellRenderer {
  return {
    apply(model) {
      // Which list entries are weft's, and which variables were not exported, depend on the
      // shell's values, so the record is built as the variables are; without either it is
      // the same everywhere.
      const helper = needsHelper(model, false);
      const dynamic = helper || (ops !== undefined && model.vars.length > 0);
      return [
        header(model, 'environment'),
        ...(helper ? [LIST_HELPER, ADDED_HELPER] : []),
        ...(dynamic && ops?.helper ? [ops.helper] : []),
        ...(dynamic ? ['__weft_rec='] : []),
        ...model.vars.map((v) => applyVar(v, dynamic, ops)),
        `export ${RECORD_VAR}=${dynamic ? '"${__weft_rec#:}"' : q(recordOf(model, {}))}`,
        `export ${MARKER_WORKSPACE}=${q(model.workspace)}`,
        `export ${MARKER_NAME}=${q(model.name)}`,
        ...(helper ? [APPLY_CLEANUP] : dynamic ? ['unset __weft_rec'] : []),
        ...(dynamic && ops?.cleanup ? [ops.cleanup] : []),
        '',
      ].join('\n');
    },
    unset(model) {
      const helper = needsHelper(model, true);
      return [
        header(model, 'revert'),
        ...(helper ? [LIST_HELPER] : []),
        ...model.vars.map((v) => unsetVar(v, ops)),
        `unset ${RECORD_VAR} ${MARKER_WORKSPACE} ${MARKER_NAME}`,
        ...(helper ? [CLEANUP] : []),
        '',
      ].join('\n');
    },
  };
}

/**
 * `renderer` with lines `before` and `after` around all but its first line, the header the
 * hook reads (bash: nocasematch turned off around weft's code; zsh: a scope for the scratch
 * variables).
 */
export function aroundBody(renderer: ShellRenderer, before: string[], after: string[]): ShellRenderer {
  const around = (render: (m: EnvModel) => string) => (model: EnvModel) => {
    const [header, ...body] = render(model).replace(/\n$/, '').split('\n');
    return [header, ...before, ...body, ...after, ''].join('\n');
  };
  return { apply: around(renderer.apply), unset: around(renderer.unset) };
}

/** sh: see the top of this file for why it cannot keep a variable unexported. */
export const posixRenderer: ShellRenderer = posixRendering();
