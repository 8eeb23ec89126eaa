// Compiles src/ and bench/ into bench/.build with swc (the toolchain the tests use; seconds, no type
// check), so the benchmark never rebuilds the shared dist/ under someone else's feet.
const { readdirSync, mkdirSync, writeFileSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');
const { transformFileSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(__dirname, '.build');
const swcOptions = { ...JSON.parse(readFileSync(path.join(root, '.swcrc'), 'utf8')), swcrc: false, sourceMaps: 'inline' };
delete swcOptions.$schema;

function* typescriptFiles(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== '.build' && entry.name !== 'node_modules') yield* typescriptFiles(file);
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield file;
  }
}

rmSync(outDir, { recursive: true, force: true });
let count = 0;
for (const directory of ['src', 'bench']) {
  for (const file of typescriptFiles(path.join(root, directory))) {
    const target = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, transformFileSync(file, { ...swcOptions, filename: file }).code);
    count++;
  }
}
console.log(`bench: compiled ${count} files into ${path.relative(root, outDir)}`);
