import { composeServices } from '@apollo/composition';
import { Kind, parse, visit } from 'graphql';
import type { DocumentNode } from 'graphql';

export interface Subgraph {
  readonly name: string;
  /** The subgraph's GraphQL endpoint, e.g. http://gatehouse:4000/graphql. */
  readonly url: string;
  /** Sent with this subgraph's `_service { sdl }` request only: Gatehouse's X-Gateway-Secret, for one. */
  readonly introspectionHeaders?: Readonly<Record<string, string>>;
}

/** `name=url,name=url` (GATEWAY_SUBGRAPHS) → subgraphs. */
export function parseSubgraphList(list: string): Subgraph[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const separator = entry.indexOf('=');
      if (separator <= 0) throw new Error(`GATEWAY_SUBGRAPHS: expected name=url, got "${entry}"`);
      return { name: entry.slice(0, separator), url: new URL(entry.slice(separator + 1)).toString() };
    });
}

export interface CompositionOptions {
  /** Drop @authenticated/@requiresScopes before composing: for a gateway that cannot enforce them (see below). */
  readonly withoutAuthorizationDirectives?: boolean;
}

/**
 * Composes the supergraph from each subgraph's own SDL (`_service { sdl }`) with @apollo/composition:
 * what `rover supergraph compose` does, at start-up, so the example needs no other tool.
 */
export async function composeSupergraph(subgraphs: readonly Subgraph[], options: CompositionOptions = {}): Promise<string> {
  const definitions = await Promise.all(
    subgraphs.map(async ({ name, url, introspectionHeaders }) => {
      const typeDefs = parse(await fetchSubgraphSdl(url, introspectionHeaders));
      return { name, url, typeDefs: options.withoutAuthorizationDirectives ? withoutAuthorizationDirectives(typeDefs) : typeDefs };
    }),
  );
  const result = composeServices(definitions);
  if (result.errors) throw new Error(`Supergraph composition failed:\n${result.errors.map((error) => `  ${error.message}`).join('\n')}`);
  return result.supergraphSdl;
}

async function fetchSubgraphSdl(url: string, headers: Readonly<Record<string, string>> = {}): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] };
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error(`${url} answered no subgraph SDL (${response.status}): ${JSON.stringify(body.errors ?? body)}`);
  return sdl;
}

const AUTHORIZATION_DIRECTIVES = new Set(['authenticated', 'requiresScopes']);

/**
 * The subgraph SDL without the Federation authorization directives (and their @link imports).
 * Composition marks them `for: SECURITY`: a router that cannot enforce them must refuse the
 * supergraph rather than ignore them, and Apollo Gateway (JavaScript) cannot. Behind such a gateway
 * the subgraph's own rules are the enforcement (Gatehouse applies the same policy per field).
 */
export function withoutAuthorizationDirectives(document: DocumentNode): DocumentNode {
  return visit(document, {
    Directive: (node) => (AUTHORIZATION_DIRECTIVES.has(node.name.value) ? null : undefined),
    ListValue: (node) => ({
      ...node,
      values: node.values.filter((value) => !(value.kind === Kind.STRING && AUTHORIZATION_DIRECTIVES.has(value.value.replace(/^@/, '')))),
    }),
  });
}
