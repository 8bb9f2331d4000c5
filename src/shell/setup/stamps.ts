// Setup stamps in .weft/state.json (its `setup` field): read with the rest of the state,
// written back merged after every successful step, so a later failure loses nothing.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../atomic.cjs';
import { readState, statePath, type SetupStamp } from '../../fetch/index.js';

export type SourceStamps = Record<string, SetupStamp>;

export function readStamps(workspace: string): Record<string, SourceStamps> {
  const setup = readState(workspace).setup;
  return setup && typeof setup === 'object' ? setup : {};
}

export function writeStamp(workspace: string, source: string, key: string, stamp: SetupStamp): void {
  const state = readState(workspace);
  const setup = state.setup && typeof state.setup === 'object' ? state.setup : {};
  setup[source] = { ...setup[source], [key]: stamp };
  state.setup = setup;
  const file = statePath(workspace);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n');
}
