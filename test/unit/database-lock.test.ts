import path from 'node:path';
import { DatabaseInUseError, openDatabase } from '../../src/database';
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
