import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { DatabaseUnavailableError, asDatabaseUnavailable, findDatabaseFailure } from '../../src/database/database-unavailable';
import { applyMigrations } from '../../src/database/migrations';
import { openDatabase } from '../../src/database/open-database';
import type { Database } from '../../src/database/open-database';
import { PrismaClient } from '../../src/generated/prisma/client';
import { closedPort } from '../support/ports';
import { rejectionOf } from '../support/rejections';

/**
 * Which real failures count as "the database is unavailable": each error here is produced by the
 * real driver against a real (or deliberately absent or silent) server, never built by hand.
 */
/** Accepts TCP connections and never says a word: a hung database server, as a client sees one. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('recognizing an unavailable database', () => {
  it('recognizes a refused connection, from node-postgres and through Prisma', async () => {
    const url = `postgresql://postgres@127.0.0.1:${await closedPort()}/none`;
    const pool = new Pool({ connectionString: url, connectionTimeoutMillis: 1_000 });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    try {
      expect(findDatabaseFailure(await rejectionOf(pool.query('SELECT 1')))).toEqual({ kind: 'socket', code: 'ECONNREFUSED' });
      expect(findDatabaseFailure(await rejectionOf(prisma.user.findFirst()))).toMatchObject({ kind: 'DatabaseNotReachable' });
      expect(findDatabaseFailure(await rejectionOf(prisma.$transaction(async (transaction) => transaction.user.findFirst())))).toMatchObject({
        kind: 'DatabaseNotReachable',
      });
    } finally {
      await prisma.$disconnect();
      await pool.end();
    }
  });

  it('recognizes a server that accepts connections but never answers, once the connect timeout passes', async () => {
    const silent = await silentServer();
    const pool = new Pool({ connectionString: `postgresql://postgres@127.0.0.1:${silent.port}/none`, connectionTimeoutMillis: 300 });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    try {
      const started = Date.now();
      const error = await rejectionOf(prisma.user.findFirst());
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(findDatabaseFailure(error)).toEqual({ kind: 'pg', code: 'Connection terminated due to connection timeout' });
      expect(asDatabaseUnavailable(error)).toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await prisma.$disconnect();
      await pool.end();
      await silent.close();
    }
  });

  describe('on a working database', () => {
    let database: Database;
    beforeAll(async () => {
      database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
      await applyMigrations(database.maintenanceSql);
    });
    afterAll(() => database.close());

    it('leaves every other database error alone: a constraint violation or a bad query is no outage', async () => {
      const user = { email: 'twice@example.test', passwordHash: 'x' };
      await database.prisma.user.create({ data: user });
      const duplicate = await rejectionOf(database.prisma.user.create({ data: user }));
      const badQuery = await rejectionOf(database.prisma.$queryRawUnsafe('SELECT * FROM "NoSuchTable"'));

      expect(findDatabaseFailure(duplicate)).toBeNull();
      expect(findDatabaseFailure(badQuery)).toBeNull();
      expect(asDatabaseUnavailable(badQuery)).toBe(badQuery);
      expect(findDatabaseFailure(new Error('Connection terminated unexpectedly, or so I say'))).toBeNull();
    });
  });
});
