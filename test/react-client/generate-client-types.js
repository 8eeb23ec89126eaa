// Runs codegen.yml through @graphql-codegen/cli's programmatic API, in memory (nothing is written),
// and prints the outputs as JSON: [{ filename, content }]. It runs in its own Node process because
// the CLI requires ES-module-only packages (yargs 18) that Node loads natively and jest cannot.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { generate } = require('@graphql-codegen/cli');
const { parse } = require('yaml');

const repositoryRoot = path.join(__dirname, '..', '..');
const config = parse(readFileSync(path.join(repositoryRoot, 'codegen.yml'), 'utf8'));

generate({ ...config, cwd: repositoryRoot, silent: true }, false).then(
  (outputs) => process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content })))),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
