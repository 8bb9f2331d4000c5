// What every converter returns: a weft manifest as plain data, and what it left behind.

/** One source in weft's manifest shape; strings are weft literals (`${` already escaped). */
export interface ConvertedSource {
  git?: string;
  svn?: string;
  hg?: string;
  local?: string;
  ref?: string;
  path?: string;
  depth?: number;
  submodules?: boolean;
  groups?: string[];
}

export interface ConvertedManifest {
  weft: 1;
  name?: string;
  /** In the input's order. */
  sources: Record<string, ConvertedSource>;
}

/** Something in the input that weft did not carry over, or changed; `line` is 1-based. */
export interface ConvertNote {
  line: number;
  message: string;
}

export interface ConvertResult {
  manifest: ConvertedManifest;
  notes: ConvertNote[];
}

export type InputFormat = 'vcstool' | 'rosinstall' | 'west' | 'gitmodules';

export interface ConvertOptions {
  /** The superproject's remote URL, against which relative `.gitmodules` URLs resolve. */
  remote?: string;
}
