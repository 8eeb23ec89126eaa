import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { SubgraphOptions } from '../federation/subgraph-schema';
import { buildGatehouseSchema } from '../schema';

/**
 * The whole contract: the SDL with the authorization directives, as Gatehouse serves it with
 * FEDERATION_AUTHORIZATION_DIRECTIVES=true. Reviewers read who may call each field beside the field, and a
 * changed permission rule shows in the diff; it is also what a router that enforces them composes offline.
 */
export const CONTRACT_OPTIONS: SubgraphOptions = { authorizationDirectives: true };

/** The flag that prints the SDL a default-configured Gatehouse serves instead, for gateways that cannot enforce the directives. */
const WITHOUT_DIRECTIVES_FLAG = '--without-authorization-directives';

/** The subgraph SDL committed as schema.graphql (the contract under review, a test fails when it is stale), or another variant of it. */
export async function printGatehouseSchema(options: SubgraphOptions = CONTRACT_OPTIONS): Promise<string> {
  return `${printSubgraphSchema(await buildGatehouseSchema(options))}\n`;
}

if (require.main === module) {
  const argumentsGiven = process.argv.slice(2);
  const withoutDirectives = argumentsGiven.includes(WITHOUT_DIRECTIVES_FLAG);
  const named = argumentsGiven.find((argument) => !argument.startsWith('--'));
  // schema.graphql is the contract: the other variant goes only where it is explicitly sent.
  if (withoutDirectives && named === undefined) {
    console.error(`${WITHOUT_DIRECTIVES_FLAG} needs a target file (schema.graphql keeps the directives)`);
    process.exit(1);
  }
  const options = withoutDirectives ? { authorizationDirectives: false } : CONTRACT_OPTIONS;
  const target = path.resolve(named ?? 'schema.graphql');
  printGatehouseSchema(options).then(
    (sdl) => {
      writeFileSync(target, sdl);
      console.log(`Wrote ${target}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
