import { describeErrors } from '../harness/load';
import type { LoadRequest } from '../harness/load';
import type { BenchContext, Measurement } from './scenario';
import { apolloOnExpressUrl, apolloStandaloneUrl, bareUrl, bearerHeaders, fullUrl, graphqlBody, inRotatingOrder, measureLoad } from './scenario';

export const TOKEN_PATH_CONNECTIONS = 10;
const ME = graphqlBody('{ me { id email } }');
const TYPENAME = graphqlBody('{ __typename }');

/** `me` with a Bearer token: JWT verify, session liveness, shield, resolver. Tokens cycle over sessions of the list owner. */
export function meRequest(url: string, accessTokens: readonly string[]): LoadRequest<{ me: { id: string; email: string } | null }> {
  const headers = bearerHeaders(accessTokens);
  return {
    url,
    prepare: () => ({ body: ME, headers: headers() }),
    check: (body) => describeErrors(body) ?? (typeof body.data?.me?.email === 'string' ? null : `no me.email in ${JSON.stringify(body.data)}`),
  };
}

/** `{ __typename }` on bare Apollo Server: the least any GraphQL request over HTTP costs. */
function typenameRequest(url: string): LoadRequest<{ __typename: string }> {
  return {
    url,
    prepare: () => ({ body: TYPENAME }),
    check: (body) => describeErrors(body) ?? (body.data?.__typename === 'Query' ? null : `no __typename in ${JSON.stringify(body.data)}`),
  };
}

export interface TokenPathRound {
  readonly full: Measurement;
  /** The same query on the app built without the auth layer: the harness injected the identity. */
  readonly bare: Measurement;
  /** `{ __typename }` on bare Apollo Server on Express 5, in the same process and round: figure 1b's ceiling. */
  readonly apolloOnExpress: Measurement;
  /** The same on Apollo's standalone server, without Express (figure 1c, reported without a target). */
  readonly apolloStandalone: Measurement;
}

export async function measureTokenPath(context: BenchContext, accessTokens: readonly string[]): Promise<TokenPathRound> {
  const options = { connections: TOKEN_PATH_CONNECTIONS };
  const [full, bare, apolloOnExpress, apolloStandalone] = await inRotatingOrder(context.round, [
    () => measureLoad(context, meRequest(fullUrl(context), accessTokens), options),
    () => measureLoad(context, meRequest(bareUrl(context), []), options),
    () => measureLoad(context, typenameRequest(apolloOnExpressUrl(context)), options),
    () => measureLoad(context, typenameRequest(apolloStandaloneUrl(context)), options),
  ] as const);
  return { full, bare, apolloOnExpress, apolloStandalone };
}
