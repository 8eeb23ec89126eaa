import type { Page, Request, Response } from 'playwright-core';

/** One GraphQL request the page sent, and what came back. */
export interface GraphQLExchange {
  readonly operationName: string;
  readonly authorization: string | null;
  /** extensions.reason of every error in the answer. */
  readonly errorReasons: readonly string[];
}

export interface GraphQLTraffic {
  /** Every exchange since the last `clear()`, in the order the answers arrived. */
  readonly exchanges: GraphQLExchange[];
  clear(): void;
  /** Resolves once no GraphQL request of the page has been waiting for its answer for `quietMilliseconds`. */
  waitForQuiet(quietMilliseconds?: number): Promise<void>;
  /** Polls until `condition` holds for the exchanges seen so far; fails after `timeoutMilliseconds`. */
  waitFor(condition: (exchanges: readonly GraphQLExchange[]) => boolean, timeoutMilliseconds?: number): Promise<void>;
}

/** null when the page dropped the request before its body arrived: the app never saw that answer. */
async function readExchange(response: Response): Promise<GraphQLExchange | null> {
  const request = response.request();
  const body = (await response.json().catch(() => null)) as { errors?: { extensions?: { reason?: string } }[] } | null;
  if (body === null) return null;
  return {
    operationName: (request.postDataJSON() as { operationName?: string }).operationName ?? '(anonymous)',
    authorization: await request.headerValue('authorization'),
    errorReasons: (body.errors ?? []).map((error) => error.extensions?.reason ?? '(none)'),
  };
}

/** Records what the page exchanges with the GraphQL endpoint over the wire, as the browser saw it. */
export function recordGraphQLTraffic(page: Page, endpoint: string): GraphQLTraffic {
  const exchanges: GraphQLExchange[] = [];
  const isGraphQL = (request: Request) => request.url() === endpoint && request.method() === 'POST';
  // Requests sent whose exchange is not recorded yet (answer pending, or its body still being read).
  let pending = 0;
  page.on('request', (request) => {
    if (isGraphQL(request)) pending++;
  });
  page.on('requestfailed', (request) => {
    if (isGraphQL(request)) pending--;
  });
  page.on('response', (response) => {
    if (!isGraphQL(response.request())) return;
    void readExchange(response)
      .then((exchange) => exchange && exchanges.push(exchange))
      // The page closed (its test ended, or a context was closed) while the exchange was being read: no test
      // waits for it any more, and an unhandled rejection would fail whichever test runs next.
      .catch(() => undefined)
      .finally(() => pending--);
  });
  return {
    exchanges,
    clear: () => exchanges.splice(0),
    async waitForQuiet(quietMilliseconds = 300) {
      const deadline = Date.now() + 10_000;
      let quietSince = Date.now();
      while (Date.now() - quietSince < quietMilliseconds) {
        if (Date.now() > deadline) throw new Error(`the page kept ${pending} GraphQL request(s) open`);
        if (pending > 0) quietSince = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async waitFor(condition, timeoutMilliseconds = 10_000) {
      const deadline = Date.now() + timeoutMilliseconds;
      while (!condition(exchanges)) {
        if (Date.now() > deadline) throw new Error(`GraphQL traffic never matched; saw ${JSON.stringify(exchanges.map((e) => e.operationName))}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
