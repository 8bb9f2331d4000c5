/** What starting the user's shell takes: argv, extra environment, and files to write first. */
export interface Launch {
  argv: string[];
  env: Record<string, string | undefined>;
  /** File name (inside the private temp dir) → content. */
  files: Record<string, string>;
}

export interface LaunchInput {
  /** The user's shell, absolute or a name on PATH. */
  shell: string;
  /** The private temp dir the files go in (removed when the shell exits). */
  dir: string;
  /** The environment code for this shell, as `weft env` renders it. */
  envCode: string;
  /** `(weft:NAME) `, or undefined for no marker. */
  marker?: string;
  /** The environment the shell starts with (for the user's own ZDOTDIR / ENV). */
  env: NodeJS.ProcessEnv;
}
