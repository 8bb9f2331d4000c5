// fish: the same steps as posix.ts in fish's own terms. The current value is read element
// by element and each element split on ':' with `string split` given arguments (never
// stdin, which splits on newlines first), so path variables (PATH, *PATH) and plain
// imported strings ('a:b') read alike. Lists are set with `set -gx --path` so fish keeps
// them as lists and exports them joined with ':'.
//
// Export status: a global the shell had but did not export (`set -g NAME x`) is marked
// `-NAME` in the record when weft first changes it (record.ts), and leaving sets it back
// with `set -gu`.
//
// Known fish behaviour, not ours to change: fish turns empty elements of PATH and CDPATH
// into '.', on import and on every set (fish 3.6 keeps MANPATH's, which mean "the system's
// manpath here").
import type { EnvModel, VarChange } from '../model.js';
import { composeList } from '../lists.js';
import { fishQuote as q } from '../quote.js';
import { MARKER_NAME, MARKER_WORKSPACE, RECORD_VAR, isReplaced, prevName, recordOf } from '../record.js';
import { systemDefaultOf } from '../system-default.js';
import type { ShellRenderer } from './types.js';

const TEMPS = ['__weft_ours', '__weft_rest', '__weft_v', '__weft_e', '__weft_j', '__weft_rec', '__weft_had', '__weft_in', '__weft_cur'];

function header(model: EnvModel, what: string): string {
  const oneLine = (s: string) => s.replace(/[\r\n]/g, ' ');
  return `# weft: ${what} for ${oneLine(model.name)} (${oneLine(model.workspace)}); generated, safe to source again`;
}

/** Sets __weft_rest to the elements of NAME that are not weft's. */
function restOf(name: string, entries: string[]): string[] {
  return [
    `set -l __weft_ours ${entries.map(q).join(' ')}`,
    'set -l __weft_rest',
    // A variable holding one empty string is an empty list, not one empty element.
    `if set -q ${name}[2]; or test -n "$${name}[1]"`,
    `    for __weft_v in $${name}`,
    '        for __weft_e in (string split -- : $__weft_v)',
    '            contains -- $__weft_e $__weft_ours; or set -a __weft_rest $__weft_e',
    '        end',
    '    end',
    'end',
  ];
}

const inRecord = (el: string) => `contains -- ${q(el)} (string split -- : "$${RECORD_VAR}")`;
const isRecorded = (name: string) => inRecord(`=${name}`);

// Before weft first changes NAME: a global NAME that is not exported is marked `-NAME` in
// the record being built; one applied before keeps the mark the record already has.
function noteUnexported(name: string): string[] {
  return [
    `if ${inRecord(`-${name}`)}`,
    `    set -a __weft_rec ${q(`-${name}`)}`,
    `else if not ${inRecord(`=${name}`)}; and not ${inRecord(`+${name}`)}; and set -qg ${name}; and not set -qgx ${name}`,
    `    set -a __weft_rec ${q(`-${name}`)}`,
    'end',
  ];
}

/** NAME set to ARGS when leaving (`set -g` plus FLAGS): exported, unless the record says it was not. */
function restore(name: string, flags: string, args: string): string[] {
  return [`if ${inRecord(`-${name}`)}`, `    set -gu${flags} ${name} ${args}`, 'else', `    set -gx${flags} ${name} ${args}`, 'end'];
}

// The value NAME had, kept for leaving: exported, except that of a global the shell did not
// export (marked in the record being built), which the programs started inside must not see
// (see renderers/posix.ts). A universal variable (set -U) with no global over it is not
// kept: leaving erases weft's global, and the universal, as it is by then, shows again.
function savePrevious(name: string): string[] {
  return [
    `if not ${isRecorded(name)}`,
    `    if set -qg ${name}`,
    // As a list, element for element (an empty list too): leaving restores it as it was.
    // Exported, it reads as fish exports the original: ' ' or, for path variables, ':'.
    `        if contains -- ${q(`-${name}`)} $__weft_rec`,
    `            set -gu ${prevName(name)} $${name}`,
    '        else',
    `            set -gx ${prevName(name)} $${name}`,
    '        end',
    '    else',
    `        set -e -g ${prevName(name)}`,
    '    end',
    'end',
  ];
}

/**
 * Adds +NAME and the entries weft puts in NAME to the record being built in __weft_rec
 * (record.ts): each one NAME lacks, or that the record in the environment already lists for
 * NAME. One NAME already has is the user's, and stays when weft leaves.
 */
function recordList(name: string, entries: string[]): string[] {
  return [
    'set -l __weft_had',
    'set -l __weft_in',
    `for __weft_e in (string split -- : "$${RECORD_VAR}")`,
    `    if test "$__weft_e" = ${q(`+${name}`)}`,
    '        set __weft_in 1',
    "    else if string match -q -- '/*' $__weft_e",
    '        set -q __weft_in[1]; and set -a __weft_had $__weft_e',
    '    else',
    '        set __weft_in',
    '    end',
    'end',
    'set -l __weft_cur',
    `for __weft_v in $${name}`,
    '    set -a __weft_cur (string split -- : $__weft_v)',
    'end',
    `set -a __weft_rec ${q(`+${name}`)}`,
    `for __weft_e in ${entries.map(q).join(' ')}`,
    '    if not contains -- $__weft_e $__weft_cur; or contains -- $__weft_e $__weft_had',
    '        set -a __weft_rec $__weft_e',
    '    end',
    'end',
  ];
}

function applyVar(v: VarChange, dynamicRecord: boolean): string[] {
  const lines: string[] = [];
  if (dynamicRecord) {
    lines.push(...noteUnexported(v.name));
    if (isReplaced(v)) lines.push(`set -a __weft_rec ${q(`=${v.name}`)}`);
    else if (v.type === 'list') lines.push(...recordList(v.name, [...v.prepend, ...v.append]));
  }
  if (isReplaced(v)) lines.push(...savePrevious(v.name));
  if (v.type === 'set') lines.push(`set -gx ${v.name} ${q(v.value)}`);
  else if (v.type === 'unset') lines.push(`set -e -g ${v.name}`);
  else if (v.base !== undefined) lines.push(`set -gx --path ${v.name} ${q(composeList(v.name, v.base, v.prepend, v.append))}`);
  else {
    lines.push(...restOf(v.name, [...v.prepend, ...v.append]));
    const setTo = (tail: string[]) => `set -gx --path ${v.name} ${[...v.prepend.map(q), '$__weft_rest', ...v.append.map(q), ...tail].join(' ')}`;
    const dflt = systemDefaultOf(v.name);
    // composeList's steps for a variable whose absence means a default (system-default.ts).
    if (dflt) lines.push(`set -q __weft_rest[1]; or set __weft_rest ${dflt.standIn.map(q).join(' ')}`);
    if (dflt?.at === 'last') {
      lines.push('if test -z "$__weft_rest[-1]"', '    set -e __weft_rest[-1]', `    ${setTo(["''"])}`, 'else', `    ${setTo([])}`, 'end');
    } else {
      lines.push(setTo([]));
    }
  }
  return lines;
}

function unsetVar(v: VarChange): string[] {
  if (isReplaced(v)) {
    return [
      `if ${isRecorded(v.name)}`,
      `    if set -q ${prevName(v.name)}`,
      ...restore(v.name, '', `$${prevName(v.name)}`).map((l) => `        ${l}`),
      `        set -e -g ${prevName(v.name)}`,
      '    else',
      `        set -e -g ${v.name}`,
      '    end',
      'end',
    ];
  }
  if (v.type !== 'list') throw new Error('unreachable: only lists are not replaced');
  // Nothing left but a default's stand-in means the variable was unset before weft.
  const dflt = systemDefaultOf(v.name);
  return [
    ...restOf(v.name, [...v.prepend, ...v.append]),
    ...(dflt ? ['set -l __weft_j (string join : -- $__weft_rest)'] : []),
    dflt ? `if set -q __weft_rest[1]; and test "$__weft_j" != ${q(dflt.standIn.join(':'))}` : 'if set -q __weft_rest[1]',
    ...restore(v.name, ' --path', '$__weft_rest').map((l) => `    ${l}`),
    'else',
    `    set -e -g ${v.name}`,
    'end',
  ];
}

// `set -e` of a variable that was never set only returns a status; the `true` keeps the
// status of sourcing this file 0.
const cleanup = () => [`set -e ${TEMPS.join(' ')}`, 'true'];

export const fishRenderer: ShellRenderer = {
  apply(model) {
    // Which list entries are weft's, and which variables were not exported, depend on the
    // shell's values, so the record is built as the variables are (a path variable:
    // "$__weft_rec" joins with ':').
    const dynamic = model.vars.length > 0;
    return [
      header(model, 'environment'),
      ...(dynamic ? ['set -l --path __weft_rec'] : []),
      ...model.vars.flatMap((v) => applyVar(v, dynamic)),
      `set -gx ${RECORD_VAR} ${dynamic ? '"$__weft_rec"' : q(recordOf(model, {}))}`,
      `set -gx ${MARKER_WORKSPACE} ${q(model.workspace)}`,
      `set -gx ${MARKER_NAME} ${q(model.name)}`,
      ...cleanup(),
      '',
    ].join('\n');
  },
  unset(model) {
    return [
      header(model, 'revert'),
      ...model.vars.flatMap(unsetVar),
      `set -e -g ${RECORD_VAR}`,
      `set -e -g ${MARKER_WORKSPACE}`,
      `set -e -g ${MARKER_NAME}`,
      ...cleanup(),
      '',
    ].join('\n');
  },
};
