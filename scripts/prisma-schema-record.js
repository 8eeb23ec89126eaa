// Which prisma/schema.prisma the generated client in src/generated/prisma was generated from, so that
// `npm start` and `npm test` (scripts/ensure-installed.js) regenerate it when the schema has changed,
// not only when it is missing. prisma-generate.js writes the record after each successful generation.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const INPUTS = ['prisma/schema.prisma', 'prisma.config.ts'];
const generatedDirectory = path.join(root, 'src', 'generated', 'prisma');
const record = path.join(generatedDirectory, '.generated-from.sha256');

function schemaFingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) hash.update(`${input}\0`).update(readFileSync(path.join(root, input)));
  return hash.digest('hex');
}

/** True when the client exists and was generated from the schema as it is now. */
function isGeneratedClientCurrent() {
  if (!existsSync(path.join(generatedDirectory, 'client.ts')) || !existsSync(record)) return false;
  return readFileSync(record, 'utf8').trim() === schemaFingerprint();
}

function recordGeneratedClient() {
  writeFileSync(record, `${schemaFingerprint()}\n`);
}

module.exports = { isGeneratedClientCurrent, recordGeneratedClient };
