import { describeErrors, Pool } from '../harness/load';
import type { LoadRequest } from '../harness/load';
import type { BenchContext, Measurement } from './scenario';
import { fullUrl, graphqlBody, measureLoad } from './scenario';

const REFRESH = 'mutation Refresh($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken } }';
export const REFRESH_CONNECTIONS = 50;

interface Chain {
  refreshToken: string;
}

/**
 * Each connection rotates its own chain: every refresh presents the token the previous one returned.
 * Chains are fresh each round: a request in flight when a run stops rotates its chain unseen.
 */
function refreshRequest(url: string, chains: Pool<Chain>): LoadRequest<{ refreshToken: { accessToken: string; refreshToken: string } }> {
  return {
    url,
    prepare: () => {
      const chain = chains.take();
      return { body: graphqlBody(REFRESH, { input: { refreshToken: chain.refreshToken } }), state: chain };
    },
    check: (body) => describeErrors(body) ?? (typeof body.data?.refreshToken?.refreshToken === 'string' ? null : 'no refresh token returned'),
    settle: (body, state) => {
      const chain = state as Chain;
      const next = body?.data?.refreshToken?.refreshToken;
      if (typeof next === 'string') chain.refreshToken = next;
      chains.give(chain);
    },
  };
}

export async function measureRefresh(context: BenchContext): Promise<Measurement> {
  const sessions = await context.server.call({ command: 'mintSessions', count: REFRESH_CONNECTIONS, holder: 'refreshUser' });
  const chains = new Pool<Chain>(sessions.map((session) => ({ refreshToken: session.refreshToken })));
  return measureLoad(context, refreshRequest(fullUrl(context), chains), { connections: REFRESH_CONNECTIONS });
}
