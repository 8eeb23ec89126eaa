'use strict';
/**
 * Preloaded into a service process (`node --require`) by test/services/loaded-modules.test.ts: it writes
 * every module file the process has loaded (require.cache: the compiled service is CommonJS, and its
 * dynamic imports compile to require) to LOADED_MODULES_FILE, one path a line, on SIGUSR2 and at exit.
 * Plain JavaScript: it runs in the service's own process, outside jest.
 */
const { renameSync, writeFileSync } = require('node:fs');

const file = process.env.LOADED_MODULES_FILE;
if (!file) throw new Error('loaded-modules.preload.js needs LOADED_MODULES_FILE');

function writeLoadedModules() {
  // Written whole, then renamed: the test polls for the file and must never read half of it.
  writeFileSync(`${file}.partial`, `${Object.keys(require.cache).join('\n')}\n`);
  renameSync(`${file}.partial`, file);
}

process.on('SIGUSR2', writeLoadedModules);
process.on('exit', writeLoadedModules);
