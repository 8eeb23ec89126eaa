import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');
const GENERATED_DIR = path.join(REPOSITORY_ROOT, 'examples', 'react-client', 'src', 'gql');

/** What `npm run codegen` would write now, by absolute path (see generate-client-types.js). */
async function generateClientTypes(): Promise<Map<string, string>> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'generate-client-types.js')], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const outputs = JSON.parse(stdout) as { filename: string; content: string }[];
  return new Map(outputs.map((output) => [path.resolve(REPOSITORY_ROOT, output.filename), output.content]));
}

describe('the generated client types in examples/react-client/src/gql', () => {
  let expected: Map<string, string>;
  beforeAll(async () => {
    expected = await generateClientTypes();
  });

  it('are exactly what codegen writes from schema.graphql and the operations (run `npm run codegen` when this fails)', () => {
    expect(expected.size).toBeGreaterThan(0);
    for (const [file, content] of expected) {
      const name = path.relative(REPOSITORY_ROOT, file);
      expect({ name, content: readFileSync(file, 'utf8') }).toEqual({ name, content });
    }
  });

  it('include no file codegen no longer writes', () => {
    const onDisk = readdirSync(GENERATED_DIR).map((name) => path.join(GENERATED_DIR, name));
    expect(onDisk.filter((file) => !expected.has(file))).toEqual([]);
  });
});
