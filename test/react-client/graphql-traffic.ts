import type { Page, Response } from 'playwright-core';

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
  /** Polls until `condition` holds for the exchanges seen so far; fails after `timeoutMilliseconds`. */
  waitFor(condition: (exchanges: readonly GraphQLExchange[]) => boolean, timeoutMilliseconds?: number): Promise<void>;
}

async function readExchange(response: Response): Promise<GraphQLExchange> {
  const request = response.request();
  const body = (await response.json().catch(() => ({}))) as { errors?: { extensions?: { reason?: string } }[] };
  return {
    operationName: (request.postDataJSON() as { operationName?: string }).operationName ?? '(anonymous)',
    authorization: await request.headerValue('authorization'),
    errorReasons: (body.errors ?? []).map((error) => error.extensions?.reason ?? '(none)'),
  };
}

/** Records what the page exchanges with the GraphQL endpoint over the wire, as the browser saw it. */
export function recordGraphQLTraffic(page: Page, endpoint: string): GraphQLTraffic {
  const exchanges: GraphQLExchange[] = [];
  page.on('response', (response) => {
    if (response.url() !== endpoint || response.request().method() !== 'POST') return;
    void readExchange(response).then((exchange) => exchanges.push(exchange));
  });
  return {
    exchanges,
    clear: () => exchanges.splice(0),
    async waitFor(condition, timeoutMilliseconds = 10_000) {
      const deadline = Date.now() + timeoutMilliseconds;
      while (!condition(exchanges)) {
        if (Date.now() > deadline) throw new Error(`GraphQL traffic never matched; saw ${JSON.stringify(exchanges.map((e) => e.operationName))}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
