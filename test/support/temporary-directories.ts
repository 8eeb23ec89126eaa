import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The directory of this jest run's temporary files. The global setup creates it before jest starts
 * its workers (which inherit the variable) and the global teardown removes it, with whatever a test
 * or a killed child process left in it: each PGlite directory is about 40 MB.
 */
const RUN_DIRECTORY_VARIABLE = 'GATEHOUSE_TEST_RUN_DIRECTORY';

/** This run's directory, created by whichever lane's global setup runs first (see jest.config.js). */
export function ensureRunDirectory(): string {
  const existing = process.env[RUN_DIRECTORY_VARIABLE];
  if (existing && existsSync(existing)) return existing;
  const runDirectory = mkdtempSync(path.join(tmpdir(), 'gatehouse-test-run-'));
  process.env[RUN_DIRECTORY_VARIABLE] = runDirectory;
  return runDirectory;
}

export function removeRunDirectory(): void {
  const runDirectory = process.env[RUN_DIRECTORY_VARIABLE];
  if (runDirectory) rmSync(runDirectory, { recursive: true, force: true });
  // A watch-mode rerun starts from a new directory.
  delete process.env[RUN_DIRECTORY_VARIABLE];
}

/** This run's directory, or null for a test file run without the global setup. */
export const runDirectory = (): string | null => process.env[RUN_DIRECTORY_VARIABLE] ?? null;

/** A new empty directory, inside this run's directory when there is one. */
export const temporaryDirectory = (prefix: string): string => mkdtempSync(path.join(runDirectory() ?? tmpdir(), `gatehouse-${prefix}-`));
