/**
 * The benchmark's server process (forked by server-process.ts): the full app and the same app built
 * without the auth layer, on one fresh PostgreSQL database, with the fixtures both read. The load
 * generator runs in the parent, so it never shares this event loop.
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import pino from 'pino';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/logger';
import { lowerThreadPoolPriority } from '../../src/passwords/thread-pool-priority';
import { startBareApolloOnExpress, startStandaloneApollo } from './bare-apollo';
import { listOwnerViewer, mintSessions, seedFixtures, BENCH_PASSWORD } from './fixtures';
import type { ServerCommand, ServerReady } from './server-protocol';

const MEMORY_SAMPLE_MILLISECONDS = 50;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // As main.ts does, first: the pool's threads hash at a lower priority than the event loop.
  await lowerThreadPoolPriority(config.passwords.hashThreadNiceness);
  // Written as the service writes standard output (see logger.ts): synchronously. A Node WriteStream
  // would send each line through libuv's thread pool, beside argon2's hashes.
  const logger = createLogger(config, pino.destination({ dest: process.env.BENCH_SERVER_LOG ?? '/dev/null', sync: true }));
  const full = await createApp(config, { logger });
  const fixtures = await seedFixtures(full, config, {
    members: Number(process.env.BENCH_MEMBERS ?? 1000),
    loginUsers: Number(process.env.BENCH_LOGIN_USERS ?? 8),
  });
  const [viewerSession] = await mintSessions(full, fixtures, 1, 'listOwner');
  const bare = await createApp(config, { logger, withoutAuthLayer: { viewer: listOwnerViewer(full, fixtures, viewerSession.sessionId) } });
  const ceilings = { onExpress: await startBareApolloOnExpress(), standalone: await startStandaloneApollo() };
  const ports = {
    full: await full.listen(0, '127.0.0.1'),
    bare: await bare.listen(0, '127.0.0.1'),
    apolloOnExpress: ceilings.onExpress.port,
    apolloStandalone: ceilings.standalone.port,
  };

  let peakRss = process.memoryUsage.rss();
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, MEMORY_SAMPLE_MILLISECONDS).unref();

  const handlers: { [Name in ServerCommand['command']]: (command: Extract<ServerCommand, { command: Name }>) => Promise<unknown> } = {
    mintSessions: (command) => mintSessions(full, fixtures, command.count, command.holder),
    // Bare argon2.verify at the given concurrency: the ceiling a login's hashing imposes, in this process's thread pool.
    verifyHashes: async (command) => {
      const deadline = performance.now() + command.durationSeconds * 1000;
      let count = 0;
      const started = performance.now();
      const worker = async () => {
        while (performance.now() < deadline) {
          if (!(await argon2.verify(fixtures.passwordHash, BENCH_PASSWORD))) throw new Error('bench hash did not verify');
          count++;
        }
      };
      await Promise.all(Array.from({ length: command.concurrency }, worker));
      return { perSecond: count / ((performance.now() - started) / 1000) };
    },
    resetPeakRss: async () => {
      peakRss = process.memoryUsage.rss();
      return null;
    },
    peakRss: async () => peakRss,
    stop: async () => {
      await Promise.all([full.close(), bare.close(), ceilings.onExpress.stop(), ceilings.standalone.stop()]);
      setImmediate(() => process.exit(0));
      return null;
    },
  };

  process.on('message', (message: ServerCommand & { id: number }) => {
    const handler = handlers[message.command] as (command: ServerCommand) => Promise<unknown>;
    handler(message).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => process.send?.({ id: message.id, error: String(error instanceof Error ? error.stack : error) }),
    );
  });
  const ready: ServerReady = {
    type: 'ready',
    ports,
    fixtures: { listAccountId: fixtures.listAccountId, loginEmails: fixtures.loginEmails, probeEmails: fixtures.probeEmails },
    runtime: {
      argon2: config.passwords.argon2,
      hashConcurrency: config.passwords.hashConcurrency,
      hashQueueLimit: config.passwords.hashQueueLimit,
      threadPoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (libuv default)',
      databasePoolSize: config.database.kind === 'postgres' ? config.database.poolSize : 1,
    },
  };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  console.error('bench server failed:', error);
  process.exit(1);
});
