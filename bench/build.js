// Compiles src/ and bench/ into bench/.build with swc (the toolchain the tests use; seconds, no type
// check), so the benchmark never rebuilds the shared dist/ under someone else's feet.
const { copyFileSync, readdirSync, mkdirSync, writeFileSync, readFileSync, rmSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { transformFileSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(__dirname, '.build');
const swcOptions = { ...JSON.parse(readFileSync(path.join(root, '.swcrc'), 'utf8')), swcrc: false, sourceMaps: 'inline' };
delete swcOptions.$schema;

function* filesOf(directory, isWanted) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== '.build' && entry.name !== 'node_modules') yield* filesOf(file, isWanted);
    else if (entry.isFile() && isWanted(entry.name)) yield file;
  }
}
const isTypeScript = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');

rmSync(outDir, { recursive: true, force: true });
let count = 0;
for (const directory of ['src', 'bench']) {
  for (const file of filesOf(path.join(root, directory), isTypeScript)) {
    const target = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, transformFileSync(file, { ...swcOptions, filename: file }).code);
    count++;
  }
}
// Plain JavaScript in src/ is a worker thread's entry point (a bare Node thread cannot load TypeScript): copied as it is.
for (const file of filesOf(path.join(root, 'src'), (name) => name.endsWith('.js'))) {
  const target = path.join(outDir, path.relative(root, file));
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(file, target);
  count++;
}
console.log(`bench: compiled ${count} files into ${path.relative(root, outDir)}`);
// As npm run build does: the cluster a first start copies (src/database/cluster-template.ts), which the start-up figure measures.
const template = spawnSync(process.execPath, [path.join(outDir, 'src', 'commands', 'create-cluster-template.js')], { cwd: root, stdio: 'inherit' });
if (template.status !== 0) process.exit(template.status ?? 1);
