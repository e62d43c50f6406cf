/**
 * Preloaded (`node -r`) into a Kuykan server by `npm run bench -- --profile`
 * when KUYKAN_BENCH_ALLOC_DIR is set: samples what the server's main thread
 * allocates between two SIGUSR2 signals, collected or not, and writes the
 * sampled heap profile to `<dir>/<pid>.heapprofile` at the second. Plain
 * CommonJS with no dependency, so it loads into the server of any commit
 * (`--compare`); worker threads (the SQLite writer) are not sampled.
 */
'use strict';

const dir = process.env.KUYKAN_BENCH_ALLOC_DIR;
const { isMainThread } = require('node:worker_threads');

if (dir && isMainThread) {
  const { Session } = require('node:inspector');
  const { renameSync, writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  let sampling = false;
  process.on('SIGUSR2', () => {
    sampling = !sampling;
    if (sampling) {
      // Every 1 KiB allocated on average, with what the collector has already freed (the point here).
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      return;
    }
    session.post('HeapProfiler.stopSampling', (error, result) => {
      const body = error ? { error: String(error) } : result.profile;
      // Renamed into place, so whoever waits for the file never reads half of it.
      const file = join(dir, `${process.pid}.heapprofile`);
      writeFileSync(`${file}.tmp`, JSON.stringify(body));
      renameSync(`${file}.tmp`, file);
    });
  });
}
