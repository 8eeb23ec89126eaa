import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { buildGatehouseSchema } from '../../src/schema';

/**
 * Every GraphQL operation the README shows (one per line, or spread over lines until its braces close)
 * is valid against the schema the code builds: a renamed field or argument fails here, not for a reader.
 */
const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

function operationsShown(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const operations: string[] = [];
  for (const block of blocks) {
    let current = '';
    let depth = 0;
    for (const rawLine of block.split('\n')) {
      const line = rawLine.replace(/\s+#.*$/, '');
      if (depth === 0 && !/^\s*(query|mutation|subscription)\b/.test(line)) continue;
      current += `${line}\n`;
      depth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
      if (depth === 0) {
        operations.push(current.trim());
        current = '';
      }
    }
  }
  return operations;
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatehouseSchema();
});

const operations = operationsShown(readme);

it('finds the README’s operations', () => {
  expect(operations.length).toBeGreaterThan(30);
});

it.each(operations.map((operation) => [operation.split('\n')[0]!.slice(0, 90), operation]))('is valid: %s', (_name, operation) => {
  expect(validate(schema, parse(operation)).map((error) => error.message)).toEqual([]);
});
