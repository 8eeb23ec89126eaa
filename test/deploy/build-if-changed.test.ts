import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporaryDirectory } from '../support/temporary-directories';

/**
 * `npm start` compiles only when the build's inputs changed (scripts/build-if-changed.js). Run here on
 * a project of two files laid out like this one, so that each tsc run takes a second and the shared
 * dist/ is never touched.
 */
const root = path.resolve(__dirname, '..', '..');
let project: string;

const write = (file: string, content: string) => {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), content);
};
const read = (file: string) => readFileSync(path.join(project, file), 'utf8');
const tsconfig = (target: string) => JSON.stringify({ compilerOptions: { target, module: 'commonjs', strict: true, outDir: 'dist', rootDir: '.', types: [] } });

/** Runs the script; what it printed (it speaks only when it builds) and its exit code. */
function buildIfChanged(): { output: string; code: number | null } {
  const result = spawnSync(process.execPath, [path.join(project, 'scripts', 'build-if-changed.js')], { cwd: project, encoding: 'utf8' });
  return { output: result.stdout + result.stderr, code: result.status };
}

beforeEach(() => {
  project = temporaryDirectory('build');
  mkdirSync(path.join(project, 'scripts'));
  copyFileSync(path.join(root, 'scripts', 'build-if-changed.js'), path.join(project, 'scripts', 'build-if-changed.js'));
  symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'));
  write('tsconfig.json', tsconfig('ES2022'));
  write('tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', compilerOptions: { incremental: true }, include: ['src'] }));
  write('package-lock.json', '{}\n');
  write('src/main.ts', "import { greeting } from './greeting';\nconsole.log(greeting);\n");
  write('src/greeting.ts', "export const greeting = 'hello';\n");
});

afterEach(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('building before npm start', () => {
  it('builds a fresh clone, then not again until a source changes', () => {
    const first = buildIfChanged();
    expect(first).toMatchObject({ code: 0, output: expect.stringContaining('Building the service (first build)') });
    const builtAt = statSync(path.join(project, 'dist', 'src', 'main.js')).mtimeMs;

    expect(buildIfChanged()).toEqual({ code: 0, output: '' });
    // A new modification time with the same content (a checkout, a touch) is no change.
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(project, 'src', 'greeting.ts'), later, later);
    expect(buildIfChanged()).toEqual({ code: 0, output: '' });
    expect(statSync(path.join(project, 'dist', 'src', 'main.js')).mtimeMs).toBe(builtAt);

    write('src/greeting.ts', "export const greeting = 'hello again';\n");
    expect(buildIfChanged().output).toContain('sources changed since the last build');
    expect(read('dist/src/greeting.js')).toContain('hello again');
  }, 60_000);

  it('rebuilds when a build input other than the sources changes: a tsconfig file, the lock file', () => {
    buildIfChanged();
    write('package-lock.json', '{ "lockfileVersion": 3 }\n');
    expect(buildIfChanged().output).toContain('sources changed since the last build');
    write('tsconfig.json', tsconfig('ES2020'));
    expect(buildIfChanged().output).toContain('sources changed since the last build');
    expect(buildIfChanged().output).toBe('');
  }, 60_000);

  it('puts back an output that was deleted, which an incremental tsc alone would not', () => {
    buildIfChanged();
    rmSync(path.join(project, 'dist', 'src', 'greeting.js'));
    expect(buildIfChanged().output).toContain('files are missing from dist/');
    expect(read('dist/src/greeting.js')).toContain('hello');
  }, 60_000);

  it('rebuilds after another build wrote dist/ from other sources (the tests compile there too)', () => {
    buildIfChanged();
    write('src/greeting.ts', "export const greeting = 'edited';\n");
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: project });
    write('src/greeting.ts', "export const greeting = 'hello';\n");

    expect(buildIfChanged().output).toContain('dist/ was rebuilt by something else since');
    expect(read('dist/src/greeting.js')).toContain("'hello'");
  }, 60_000);

  it('fails when tsc fails, and tries again next time', () => {
    write('src/greeting.ts', 'export const greeting: number = "not a number";\n');
    expect(buildIfChanged().code).not.toBe(0);
    const again = buildIfChanged();
    expect(again.code).not.toBe(0);
    expect(again.output).toContain('Building the service');
  }, 60_000);
});
