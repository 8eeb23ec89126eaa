import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { copiesOf, instructionsOf, readDockerfile } from './support/dockerfile';

/**
 * "Works in development, breaks in the image": the runtime image installs with
 * `npm ci --omit=dev --omit=optional`, so every package the compiled service loads must survive that.
 */
const root = path.resolve(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
interface LockEntry {
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly devOptional?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const lock = (JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;

/**
 * Imported by src/ but deliberately not a runtime dependency: the Dockerfile copies what is needed
 * from the build stage instead (the Playground's prebuilt static files, without their React tree).
 */
const COPIED_FROM_BUILD_STAGE: Readonly<Record<string, string>> = {
  'graphql-playground-react': 'static assets only; the runtime stage copies its package.json and build/',
};

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    // .js too: a worker thread's entry point is plain JavaScript (passwords/password-strength.worker.js).
    return /\.(ts|js)$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [file] : [];
  });
}

/**
 * Module specifiers a file loads at run time: value imports and re-exports, require(), require.resolve()
 * and import() with a literal argument. Type-only imports are erased by tsc and do not count.
 */
function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const isTypeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly)));
      if (!isTypeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const [argument] = node.arguments;
      const callee = node.expression.getText(source);
      const isLoader = node.expression.kind === ts.SyntaxKind.ImportKeyword || callee === 'require' || callee === 'require.resolve';
      if (isLoader && argument && (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument))) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function packageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const [first = '', second = ''] = specifier.split('/');
  const name = first.startsWith('@') ? `${first}/${second}` : first;
  return builtinModules.includes(name) ? null : name;
}

/** What `npm ci --omit=dev --omit=optional` installs: "devOptional" entries need both omitted to be left out. */
const isInstalledInProduction = (entry: LockEntry | undefined) => entry !== undefined && !entry.dev && !entry.optional && !entry.devOptional;

/** Node's lookup: node_modules/<name> in the requiring package's directory, then in each directory above. */
function resolveInLock(fromEntry: string, name: string): string | undefined {
  for (let directory = fromEntry; ; directory = directory.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
    const candidate = `${directory ? `${directory}/` : ''}node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (directory === '') return undefined;
  }
}

// src/generated (the Prisma client) is included: tsc compiles it into dist/ with the rest.
const importedPackages = new Map<string, string[]>();
for (const file of sourceFiles(path.join(root, 'src'))) {
  for (const specifier of runtimeSpecifiers(file)) {
    const name = packageName(specifier);
    if (name) importedPackages.set(name, [...(importedPackages.get(name) ?? []), path.relative(root, file)]);
  }
}

describe('the production install', () => {
  it('sees the packages src/ loads, including the generated Prisma client and its runtime', () => {
    // Guards the scanner itself: these are loaded by a value import, a side-effect import, a dynamic import()
    // and a require() in plain JavaScript (the password-strength worker's; nothing else loads zxcvbn).
    expect([...importedPackages.keys()]).toEqual(expect.arrayContaining(['express', 'reflect-metadata', '@prisma/client', '@zxcvbn-ts/core']));
    expect(importedPackages.get('@prisma/client')).toEqual(expect.arrayContaining([expect.stringMatching(/^src\/generated\/prisma\//)]));
  });

  it('lists every package src/ loads at run time in "dependencies", not "devDependencies"', () => {
    const missing = [...importedPackages]
      .filter(([name]) => packageJson.dependencies?.[name] === undefined && COPIED_FROM_BUILD_STAGE[name] === undefined)
      .map(([name, files]) => `${name} (${[...new Set(files)].join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('is the install these checks model: npm ci --omit=dev --omit=optional in the runtime stage', () => {
    const dockerfile = readDockerfile(path.join(root, 'Dockerfile'));
    const runtime = dockerfile.stages[dockerfile.stages.length - 1]!;
    const install = instructionsOf(runtime, 'RUN').find((command) => /\bnpm ci\b/.test(command)) ?? '';
    expect(install).toMatch(/--omit=dev\b/);
    expect(install).toMatch(/--omit=optional\b/);
  });

  it('installs every package src/ loads, and everything those need, with --omit=dev --omit=optional', () => {
    const installed = Object.keys(lock).filter((key) => key !== '' && isInstalledInProduction(lock[key]));
    const notInstalled = [...importedPackages.keys()].filter((name) => COPIED_FROM_BUILD_STAGE[name] === undefined && !isInstalledInProduction(lock[`node_modules/${name}`]));
    expect(notInstalled).toEqual([]);

    const broken = ['', ...installed].flatMap((key) => {
      const entry = lock[key]!;
      const needed = [
        ...Object.keys(key === '' ? (packageJson.dependencies ?? {}) : (entry.dependencies ?? {})),
        ...Object.keys(entry.peerDependencies ?? {}).filter((peer) => !entry.peerDependenciesMeta?.[peer]?.optional),
      ];
      return needed.filter((name) => !isInstalledInProduction(lock[resolveInLock(key, name) ?? ''])).map((name) => `${key || 'gatehouse'} → ${name}`);
    });
    expect(broken).toEqual([]);
  });

  it('gets each deliberately uninstalled package from the build stage instead', () => {
    const dockerfile = readDockerfile(path.join(root, 'Dockerfile'));
    const runtime = dockerfile.stages[dockerfile.stages.length - 1]!;
    const copiedFromBuild = copiesOf(dockerfile, runtime)
      .filter((copy) => copy.from !== null)
      .flatMap((copy) => copy.sources);
    for (const name of Object.keys(COPIED_FROM_BUILD_STAGE)) {
      expect(isInstalledInProduction(lock[`node_modules/${name}`])).toBe(false);
      expect(copiedFromBuild).toContain(`/app/node_modules/${name}/package.json`);
    }
  });
});
