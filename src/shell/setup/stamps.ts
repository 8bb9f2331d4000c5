// Setup stamps in .weft/state.json (its `setup` field): read with the rest of the state,
// written back merged after every successful step, so a later failure loses nothing.
// One stamp per checkout directory: after `weft switch` a step runs in the branch's own
// checkout, and a stamp from there must not make the main checkout's run look undone.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../atomic.cjs';
import { readState, statePath, type SetupStamp } from '../../fetch/index.js';

export type SourceStamps = Record<string, SetupStamp | SetupStamp[]>;

export function readStamps(workspace: string): Record<string, SourceStamps> {
  const setup = readState(workspace).setup;
  return setup && typeof setup === 'object' ? setup : {};
}

/** The step's stamp for the checkout in `dir`. */
export function stampFor(stamps: SetupStamp | SetupStamp[] | undefined, dir: string): SetupStamp | undefined {
  return ([] as (SetupStamp | undefined)[]).concat(stamps).find((s) => s?.dir === dir);
}

export function writeStamp(workspace: string, source: string, key: string, stamp: SetupStamp): void {
  const state = readState(workspace);
  const setup = state.setup && typeof state.setup === 'object' ? state.setup : {};
  const others = ([] as (SetupStamp | undefined)[]).concat(setup[source]?.[key]).filter((s): s is SetupStamp => s?.dir !== undefined && s.dir !== stamp.dir);
  setup[source] = { ...setup[source], [key]: [...others, stamp] };
  state.setup = setup;
  const file = statePath(workspace);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n');
}
