// Generates the Prisma client into src/generated/prisma.
// `prisma generate` never runs the schema engine, but the CLI insists that its binary exists, and
// Prisma's engine download host is unreachable in offline and locked-down installs. Point it at
// any existing file (this Node binary) unless the caller chose one.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
let cli;
try {
  cli = require.resolve('prisma/build/index.js', { paths: [path.resolve(__dirname, '..')] });
} catch {
  // A production install (npm ci --omit=dev) has no Prisma CLI; it runs the compiled client in dist/.
  console.error('prisma CLI not installed (production install?): skipping client generation.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, 'generate', '--no-hints'], { stdio: 'inherit', env });
// Required only here: the runtime image copies this script alone, and exits above (no CLI there).
if (result.status === 0) require('./prisma-schema-record').recordGeneratedClient();
process.exit(result.status ?? 1);
