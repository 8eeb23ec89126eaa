import type { GraphQLFormattedError } from 'graphql';

declare const dataOfDocument: unique symbol;

/**
 * A GraphQL document that carries the type of the data it answers with, so every request with it is
 * typed without a cast at the call. The type is the test's reading of the schema: the assertions, not
 * the compiler, check that the server agrees.
 */
export type TypedDocument<Data> = string & { readonly [dataOfDocument]?: Data };

export const typedDocument = <Data>(text: string): TypedDocument<Data> => text as TypedDocument<Data>;

/** The body of a GraphQL answer (GraphQL over HTTP). */
export interface GraphQLResponseBody<Data> {
  readonly data?: Data | null;
  readonly errors?: readonly GraphQLFormattedError[];
}

/** A GraphQL answer with the HTTP status and headers it came with. */
export interface GraphQLResponse<Data> extends GraphQLResponseBody<Data> {
  readonly status: number;
  readonly headers: Headers;
}

export interface GraphQLRequestOptions {
  /** Left out of the request when absent. */
  readonly variables?: Record<string, unknown>;
  /** Sent as `Authorization: Bearer <token>`; nothing is sent for null or absent. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

/** POSTs a GraphQL request as JSON; the raw HTTP response, for a test that reads the bytes. */
export function sendGraphql(endpoint: string, query: string, options: GraphQLRequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.variables === undefined ? { query } : { query, variables: options.variables };
  return fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** POSTs a GraphQL request and reads the answer. */
export async function postGraphql<Data = unknown>(
  endpoint: string,
  document: TypedDocument<Data>,
  options: GraphQLRequestOptions = {},
): Promise<GraphQLResponse<Data>> {
  const response = await sendGraphql(endpoint, document, options);
  const body = (await response.json()) as GraphQLResponseBody<Data>;
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
}

/** The /graphql endpoint of a server of this test's own on loopback (a gateway, a subgraph). */
export const loopbackGraphqlUrl = (port: number): string => `http://127.0.0.1:${port}/graphql`;
