// The ways through the code a run went, named by the command that knows them (`weft up`:
// each source's type and outcome, and whether it touched the network). bin/weft.js's
// compiled-code cache (cli/load.cts) holds the bytecode of what the run that wrote it
// compiled, and V8 compiles the rest on every later run: a warm `weft up` whose cache a cold
// one wrote spent ~30 ms more CPU (218.7 against 247.5 ms, 10 alternating runs of 50
// sources) compiling the checkout-from-cache path again and again. The cache is therefore
// written again, once, by the first run that went a way it does not cover.
const ways = new Set<string>();

/** Notes that this run went `way` (lower case, digits, ':' and '-'). */
export function wentWay(way: string): void {
  ways.add(way);
}

/** The ways this run went. */
export function codePaths(): string[] {
  return [...ways];
}
