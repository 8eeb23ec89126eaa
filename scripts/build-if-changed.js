// Compiles the service into dist/ (tsc -p tsconfig.build.json) only when something the build reads has
// changed since the last build: `npm start`, `npm run db:migrate` and `npm run schema:print` run it first.
// tsc takes 10–20 s here even when nothing changed, and type-graphql needs its decorator metadata, so
// no faster compiler can stand in; skipping it is what makes a second `npm start` take seconds.
//
// "Changed" is judged on content, not modification times: a checkout or a `touch` alone does not
// rebuild, a revert does. The inputs are every file under tsconfig.build.json's "include" (the
// generated Prisma client among them, so a new schema rebuilds once ensure-installed.js regenerated
// it), both tsconfig files, and package-lock.json (the installed type definitions and TypeScript).
// The record of the last build (dist/.build-inputs.json) also holds a hash of tsc's own build-info
// file, so a build into dist/ by anything else (the tests compile there too) is noticed.
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const BUILD_CONFIG = 'tsconfig.build.json';
const OTHER_INPUTS = ['tsconfig.json', BUILD_CONFIG, 'package-lock.json'];
const outDir = path.join(root, 'dist');
const record = path.join(outDir, '.build-inputs.json');
// tsc's default place for it with "incremental" and an outDir: beside the outputs, named after the config.
const buildInfo = path.join(outDir, 'tsconfig.build.tsbuildinfo');

const sha256 = (content) => createHash('sha256').update(content).digest('hex');
const hashOf = (file) => (existsSync(file) ? sha256(readFileSync(file)) : null);

function filesUnder(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(file);
    return entry.isFile() ? [file] : [];
  });
}

function sourceFiles() {
  const { include } = JSON.parse(readFileSync(path.join(root, BUILD_CONFIG), 'utf8'));
  return include.flatMap((directory) => filesUnder(path.join(root, directory))).sort();
}

function fingerprintOf(sources) {
  const lines = [...sources, ...OTHER_INPUTS.map((name) => path.join(root, name))].map(
    (file) => `${path.relative(root, file)}\0${hashOf(file)}`,
  );
  return sha256(lines.join('\n'));
}

/** dist/ files a build of these sources writes (one .js per .ts or .js source), that are not there. */
function missingOutputs(sources) {
  return sources
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js'))
    .filter((output) => !existsSync(output));
}

function readRecord() {
  try {
    return JSON.parse(readFileSync(record, 'utf8'));
  } catch {
    return null;
  }
}

/** Why dist/ must be rebuilt, or null when it was built from exactly these inputs. */
function reasonToBuild(sources, fingerprint) {
  if (!existsSync(path.join(outDir, 'src', 'main.js'))) return 'first build';
  const last = readRecord();
  if (last === null) return 'no record of the last build';
  if (last.inputs !== fingerprint) return 'sources changed since the last build';
  if (last.buildInfo !== hashOf(buildInfo)) return 'dist/ was rebuilt by something else since';
  if (missingOutputs(sources).length > 0) return 'files are missing from dist/';
  return null;
}

function build() {
  const sources = sourceFiles();
  const fingerprint = fingerprintOf(sources);
  const reason = reasonToBuild(sources, fingerprint);
  if (reason === null) return 0;

  // tsc's incremental build trusts its build-info file to describe dist/: with outputs gone, start afresh.
  if (missingOutputs(sources).length > 0) rmSync(buildInfo, { force: true });
  // A build that fails halfway must not be taken for a good one next time.
  rmSync(record, { force: true });
  console.error(`Building the service (${reason}): tsc -p ${BUILD_CONFIG}…`);
  const startedAt = Date.now();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', BUILD_CONFIG], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) return result.status ?? 1;
  // npm run build's last step, when the project has it: the embedded database's cluster template.
  const templateCommand = path.join(outDir, 'src', 'commands', 'create-cluster-template.js');
  if (existsSync(templateCommand)) {
    const template = spawnSync(process.execPath, [templateCommand], { cwd: root, stdio: 'inherit' });
    if (template.status !== 0) return template.status ?? 1;
  }
  writeFileSync(record, `${JSON.stringify({ inputs: fingerprint, buildInfo: hashOf(buildInfo) })}\n`);
  console.error(`Built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
  return 0;
}

process.exitCode = build();
