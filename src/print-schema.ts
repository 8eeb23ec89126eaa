import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { buildGatehouseSchema } from './schema';

/** The SDL committed as schema.graphql: the contract under review. A test fails when it is stale. */
export async function printGatehouseSchema(): Promise<string> {
  return `${printSchema(await buildGatehouseSchema())}\n`;
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
