// Preloaded by `npm run bench` (NODE_OPTIONS=--require) into the processes it times: on exit,
// appends the process's arguments, peak RSS (its threads included) and CPU time (user + system,
// all threads) to $BENCH_USAGE_FILE, one JSON line per process.
'use strict';
const { isMainThread } = require('worker_threads');

if (isMainThread && process.env.BENCH_USAGE_FILE) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const line = { argv: process.argv, maxRss: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
    require('fs').appendFileSync(process.env.BENCH_USAGE_FILE, `${JSON.stringify(line)}\n`);
  });
}
