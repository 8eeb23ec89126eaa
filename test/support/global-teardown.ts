import { removeSharedServiceBuild } from './service-process';
import { removeRunDirectory, runDirectory } from './temporary-directories';

/** Removes this run's temporary files and its compiled service (test/support/service-process.ts). */
export default function globalTeardown(): void {
  const run = runDirectory();
  if (run !== null) removeSharedServiceBuild(run);
  removeRunDirectory();
}
