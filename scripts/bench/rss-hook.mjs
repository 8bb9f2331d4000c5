// Preloaded into a node child (`node --import rss-hook.mjs …`) when GNU time is missing:
// reports the process's own peak RSS on exit, in the words GNU time would use.
process.on('exit', () => {
  process.stderr.write(`\nWEFT_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
