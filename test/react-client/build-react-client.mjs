// Builds examples/react-client with Vite's JS API into the directory named by the first argument;
// VITE_GRAPHQL_URL comes from the environment. It runs in its own Node process because Vite is
// ES-module-only, which jest's module system cannot load.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const exampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'react-client');
const outDir = process.argv[2];
if (!outDir) throw new Error('usage: node build-react-client.mjs <outDir>');

await build({
  root: exampleDir,
  configFile: path.join(exampleDir, 'vite.config.mts'),
  logLevel: 'warn',
  build: { outDir: path.resolve(outDir), emptyOutDir: true },
});
