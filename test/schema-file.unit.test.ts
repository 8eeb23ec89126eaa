import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printGatehouseSchema } from '../src/commands/print-schema';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:print` after changing it)', async () => {
    const committed = readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printGatehouseSchema());
  });
});
