import { describeErrors } from '../harness/load';
import type { LoadRequest } from '../harness/load';
import type { BenchContext, Measurement } from './scenario';
import { bareUrl, bearerHeaders, fullUrl, graphqlBody, inAlternatingOrder, measureLoad } from './scenario';

export const TOKEN_PATH_CONNECTIONS = 10;
const ME = graphqlBody('{ me { id email } }');

/** `me` with a Bearer token: JWT verify, session liveness, shield, resolver. Tokens cycle over sessions of the list owner. */
export function meRequest(url: string, accessTokens: readonly string[]): LoadRequest<{ me: { id: string; email: string } | null }> {
  const headers = bearerHeaders(accessTokens);
  return {
    url,
    prepare: () => ({ body: ME, headers: headers() }),
    check: (body) => describeErrors(body) ?? (typeof body.data?.me?.email === 'string' ? null : `no me.email in ${JSON.stringify(body.data)}`),
  };
}

export interface TokenPathRound {
  readonly full: Measurement;
  /** The same query on the app built without the auth layer: the harness injected the identity. */
  readonly bare: Measurement;
}

export async function measureTokenPath(context: BenchContext, accessTokens: readonly string[]): Promise<TokenPathRound> {
  const options = { connections: TOKEN_PATH_CONNECTIONS };
  const [full, bare] = await inAlternatingOrder(
    context.round,
    () => measureLoad(context, meRequest(fullUrl(context), accessTokens), options),
    () => measureLoad(context, meRequest(bareUrl(context), []), options),
  );
  return { full, bare };
}
