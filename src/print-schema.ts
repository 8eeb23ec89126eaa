import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildGatehouseSchema } from './schema';

/** The subgraph SDL committed as schema.graphql (what a gateway composes): the contract under review. A test fails when it is stale. */
export async function printGatehouseSchema(): Promise<string> {
  return `${printSubgraphSchema(await buildGatehouseSchema())}\n`;
}

if (require.main === module) {
  const target = path.resolve(process.argv[2] ?? 'schema.graphql');
  printGatehouseSchema().then(
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
