import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A new embedded database starts as a copy of a PostgreSQL cluster the build made, not from PGlite's
 * initdb. initdb starts a second WebAssembly PostgreSQL, bootstraps every catalog and copies the result
 * over: 3 to 5 s, most of a first start. For one PGlite version its cluster is the same every time, so
 * `npm run build` makes one (createClusterTemplate) and a first start copies it in (copyClusterTemplate).
 * Without a template of the installed PGlite's version (the tests run src/, or PGlite was upgraded
 * since the build), PGlite runs initdb as before. Migrations are not in the template: every start applies them.
 *
 * Every database made from one build shares the cluster's system identifier; PGlite has no replication
 * or WAL archive, the only places PostgreSQL compares it.
 *
 * Layout: `<template>/data` is the cluster, `<template>/pglite-version` the PGlite version that made it.
 */

/** The built template, beside the compiled src/: dist/pglite-cluster for dist/src/database/cluster-template.js. */
export const BUILT_TEMPLATE_DIRECTORY = path.resolve(__dirname, '..', '..', 'pglite-cluster');

/** The file whose presence tells PGlite a data directory holds a cluster: copied last, so a copy cut short is done again. */
const CLUSTER_MARKER = 'PG_VERSION';

/** Makes the template with the installed PGlite, replacing any older one (in a sibling directory first, so a failed build leaves none). */
export async function createClusterTemplate(directory = BUILT_TEMPLATE_DIRECTORY): Promise<void> {
  const building = `${directory}.${randomUUID()}`;
  try {
    mkdirSync(building, { recursive: true });
    // The same call a first start would make without a template: its initdb, its options.
    const client = await PGlite.create(path.join(building, 'data'));
    await client.close();
    makeReadableToAll(path.join(building, 'data'));
    writeFileSync(path.join(building, 'pglite-version'), installedPgliteVersion());
    rmSync(directory, { recursive: true, force: true });
    renameSync(building, directory);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

/**
 * Copies the template into `dataDir` when it holds no cluster yet and the template was made by the
 * installed PGlite; resolves with whether it did. The caller holds the data directory's lock. Every
 * file's copy is under way when this returns: they run on libuv's threads, overlapping each other's
 * disk writes and whatever this thread does meanwhile (main.ts loads the app's modules).
 */
export function copyClusterTemplate(dataDir: string, directory = BUILT_TEMPLATE_DIRECTORY): Promise<boolean> {
  if (existsSync(path.join(dataDir, CLUSTER_MARKER)) || !isUsable(directory)) return Promise.resolve(false);
  const template = path.join(directory, 'data');
  const copies = startCopies(template, dataDir, (name) => name !== CLUSTER_MARKER);
  // All settled before failing: no copy may still be writing once the caller has given the lock up.
  return Promise.allSettled(copies)
    .then((results) => {
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
      return copyFile(path.join(template, CLUSTER_MARKER), path.join(dataDir, CLUSTER_MARKER));
    })
    .then(() => true);
}

function isUsable(directory: string): boolean {
  try {
    return readFileSync(path.join(directory, 'pglite-version'), 'utf8') === installedPgliteVersion();
  } catch {
    return false;
  }
}

/** Makes the directories now (a few dozen) and starts every file's copy; modes are the template's, which are PGlite's own. */
function startCopies(from: string, to: string, isIncluded: (name: string) => boolean): Promise<void>[] {
  mkdirSync(to, { recursive: true, mode: statSync(from).mode });
  return readdirSync(from, { withFileTypes: true })
    .filter((entry) => isIncluded(entry.name))
    .flatMap((entry) => {
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      return entry.isDirectory() ? startCopies(source, target, () => true) : [copyFile(source, target)];
    });
}

/**
 * The service may run as another user than the build (the Dockerfile builds as root and runs as node),
 * and a copy needs to read every file; PostgreSQL's shutdown leaves pg_logical/replorigin_checkpoint
 * readable by its owner only. A copy keeps these modes until PostgreSQL rewrites the file; the rest of
 * PGlite's files are readable by all already (0666).
 */
function makeReadableToAll(directory: string): void {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) makeReadableToAll(file);
    chmodSync(file, statSync(file).mode | (entry.isDirectory() ? 0o555 : 0o444));
  }
}

/** From PGlite's package.json, which its exports map does not offer to require(). */
function installedPgliteVersion(): string {
  for (let directory = path.dirname(require.resolve('@electric-sql/pglite')); ; directory = path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return version;
    }
    if (path.dirname(directory) === directory) throw new Error('the installed @electric-sql/pglite has no package.json');
  }
}
