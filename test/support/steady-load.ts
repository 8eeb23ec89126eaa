import { ME, REFRESH } from './documents';
import type { AuthPayload } from './documents';
import { postGraphql } from './graphql-client';
import { SERVED_BY_HEADER } from './haproxy';
import { sleep } from './sleep';

/** A client of the load: one user's session, its tokens replaced at each refresh. */
export interface LoadClient {
  readonly userId: string;
  accessToken: string;
  refreshToken: string;
}

export interface LoadTally {
  readonly requests: number;
  readonly me: number;
  readonly refresh: number;
  /** What went wrong, one line each (a failed request is any answer but the expected data). */
  readonly failures: readonly string[];
  /** Requests answered per server, as HAProxy named it in X-Served-By. */
  readonly servedBy: Readonly<Record<string, number>>;
  readonly slowestMilliseconds: number;
}

/**
 * Each client sends one request at a time through the balancer until stopped, `pauseMilliseconds` apart:
 * `me` three times in four, else a refresh (a write: the rotation must happen exactly once, wherever it
 * lands). Every answer is checked; a failure is counted and the client carries on.
 */
export function startSteadyLoad(graphqlUrl: string, clients: readonly LoadClient[], pauseMilliseconds: number): { stop(): Promise<LoadTally> } {
  let isRunning = true;
  let requests = 0;
  let me = 0;
  let refresh = 0;
  let slowestMilliseconds = 0;
  const failures: string[] = [];
  const servedBy: Record<string, number> = {};

  async function run(client: LoadClient): Promise<void> {
    while (isRunning) {
      const isRefresh = Math.random() < 0.25;
      const started = performance.now();
      requests++;
      try {
        if (isRefresh) {
          refresh++;
          const answer = await postGraphql(graphqlUrl, REFRESH, { variables: { input: { refreshToken: client.refreshToken } } });
          count(answer.headers.get(SERVED_BY_HEADER));
          const payload: AuthPayload | undefined = answer.data?.refreshToken;
          if (answer.status !== 200 || answer.errors || payload?.user.id !== client.userId) throw new Error(`refresh: ${answer.status} ${JSON.stringify(answer.errors ?? answer.data)}`);
          client.accessToken = payload.accessToken;
          client.refreshToken = payload.refreshToken;
        } else {
          me++;
          const answer = await postGraphql(graphqlUrl, ME, { token: client.accessToken });
          count(answer.headers.get(SERVED_BY_HEADER));
          if (answer.status !== 200 || answer.errors || answer.data?.me?.id !== client.userId) throw new Error(`me: ${answer.status} ${JSON.stringify(answer.errors ?? answer.data)}`);
        }
      } catch (error) {
        failures.push(`${new Date().toISOString()} ${error instanceof Error ? error.message : String(error)}`);
      }
      slowestMilliseconds = Math.max(slowestMilliseconds, performance.now() - started);
      await sleep(pauseMilliseconds);
    }
  }

  function count(server: string | null): void {
    const name = server ?? '(no header)';
    servedBy[name] = (servedBy[name] ?? 0) + 1;
  }

  const running = Promise.all(clients.map(run));
  return {
    async stop() {
      isRunning = false;
      await running;
      return { requests, me, refresh, failures, servedBy, slowestMilliseconds };
    },
  };
}
