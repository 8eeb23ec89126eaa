import { Writable } from 'node:stream';
import { createApp } from '../../src/app';
import type { App } from '../../src/app';
import type { Config } from '../../src/config/config';
import { loadConfig } from '../../src/config/load-config';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { createLogger } from '../../src/logger';
import { postGraphql } from './graphql-client';
import type { GraphQLRequestOptions, GraphQLResponse, TypedDocument } from './graphql-client';
import { TestClock } from './test-clock';
import { createTestDatabase } from './test-database';
import type { TestDatabase } from './test-database';

export type RequestOptions = Omit<GraphQLRequestOptions, 'variables'>;

export interface TestServer {
  readonly url: string;
  readonly app: App;
  readonly prisma: PrismaClient;
  readonly clock: TestClock;
  readonly config: Config;
  /** Every log line the server wrote, as raw JSON text. */
  readonly logs: string[];
  /** POSTs to /graphql; the data is typed by the document (see documents.ts), or unknown for a plain string. */
  graphql<Data = unknown>(document: TypedDocument<Data>, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<Data>>;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Cheap argon2 parameters: the same code path, a fraction of the production cost. */
const TEST_ENVIRONMENT = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  JWT_SECRET: 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF',
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_ITERATIONS: '1',
  // Every test request comes from 127.0.0.1, so per-IP limits at their defaults would couple unrelated
  // tests. A test about a limit sets it (and picks client IPs with X-Forwarded-For). EMAIL_SEND_MAX is
  // also the per-address limit: a test of that sets it too.
  LOGIN_IP_MAX_FAILURES: '100000',
  LOGIN_IP_MAX_SUCCESSES: '100000',
  SIGN_UP_IP_MAX: '100000',
  EMAIL_SEND_MAX: '1000',
  INVITATION_SEND_MAX: '100000',
  INVITATION_INVITER_MAX: '100000',
};

export interface TestServerOptions {
  /**
   * Serve this database instead of a new one of its own, and leave it in place on close: for tests
   * that restart the service (see createTestDatabase). The test drops it.
   */
  readonly database?: TestDatabase;
}

/** The real app over real HTTP on a random port, on a database of its own. */
export async function startTestServer(environment: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const config: Config = { ...loadConfig({ ...TEST_ENVIRONMENT, ...environment }), database: database.config };
  const clock = new TestClock();
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await createApp(config, { clock, logger: createLogger(config, logStream) });
  const port = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  return {
    url,
    app,
    prisma: app.database.prisma,
    clock,
    config,
    logs,
    post,
    graphql: (document, variables = {}, options = {}) => postGraphql(`${url}/graphql`, document, { ...options, variables }),
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
