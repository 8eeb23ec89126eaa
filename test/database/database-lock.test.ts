import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { DatabaseInUseError } from '../../src/database/database-in-use-error';
import { openDatabase } from '../../src/database/open-database';
import { temporaryDirectory } from '../support/temporary-directories';

describe('the embedded database directory', () => {
  it('is refused to a second opener while the first holds it, and free again once closed', async () => {
    const dataDir = path.join(temporaryDirectory('lock'), 'pglite');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toBeInstanceOf(DatabaseInUseError);
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dataDir });
    await second.ping();
    await second.close();
  }, 60_000);
});

describe('a crashed holder of the embedded database directory', () => {
  it('has its lock taken over once the lock is stale, even when it had the pid this process has now (a restarted container)', async () => {
    const dataDir = path.join(temporaryDirectory('lock'), 'pglite');
    // What a process killed while holding the lock leaves: the lock, just refreshed, and its holder file.
    mkdirSync(`${dataDir}.lock`, { recursive: true });
    writeFileSync(`${dataDir}.lock-holder.json`, JSON.stringify({ pid: process.pid, hostname: hostname() }));

    const database = await openDatabase({ kind: 'pglite', dataDir });
    await database.ping();
    await database.close();
  }, 60_000);
});
