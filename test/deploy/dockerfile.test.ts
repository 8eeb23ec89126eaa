import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { CONFIGURATION_VARIABLES } from '../../src/config/environment';
import { loadConfig } from '../../src/config/load-config';
import { locatePlaygroundAssets, PLAYGROUND_PACKAGE } from '../../src/http/playground-assets';
import { PRODUCTION_NODE_FLAGS } from '../support/service-process';
import { temporaryDirectory } from '../support/temporary-directories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { copiesOf, effectiveEnvironment, effectiveSetting, execForm, instructionsOf, readDockerfile } from './support/dockerfile';
import type { Stage } from './support/dockerfile';
import { runHealthCheck } from './support/health-check';

/** The Dockerfile read the way `docker build` would use it, checked against the service (no Docker engine needed). */
const root = path.resolve(__dirname, '..', '..');
const dockerfile = readDockerfile(path.join(root, 'Dockerfile'));
const runtime = dockerfile.stages[dockerfile.stages.length - 1]!;
const runtimeDirectory = effectiveSetting(dockerfile, runtime, 'WORKDIR') ?? '/';
const buildStage = dockerfile.stages.find((stage) => instructionsOf(stage, 'RUN').some((command) => /\bnpm run build\b/.test(command)));
const exampleStages = dockerfile.stages.filter((stage) => stage.name.startsWith('example-'));
const commandOf = (stage: Stage): string[] => execForm(instructionsOf(stage, 'CMD').at(-1)!);
const healthCheckOf = (stage: Stage): string[] => execForm(instructionsOf(stage, 'HEALTHCHECK').at(-1)!);
const exposedPorts = (stage: Stage): number[] => instructionsOf(stage, 'EXPOSE').flatMap((text) => text.split(/\s+/).map((port) => Number(port.replace(/\/tcp$/, ''))));

/** The image's own environment, plus the one thing an operator must add. */
function imageEnvironment(): Record<string, string> {
  return { ...effectiveEnvironment(dockerfile, runtime), JWT_SECRET: randomBytes(48).toString('base64') };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('Dockerfile', () => {
  it('builds the service when no target is given: the last stage runs dist/src/main.js, compiled from src/main.ts, with npm start\'s V8 flags', () => {
    expect(commandOf(runtime)).toEqual(['node', ...PRODUCTION_NODE_FLAGS, 'dist/src/main.js']);
    expect(PRODUCTION_NODE_FLAGS).toContain('--max-old-space-size=160');
    expect(existsSync(path.join(root, 'src', 'main.ts'))).toBe(true);
  });

  it('starts the runtime image afresh from a Node image, not from the build stage and its development dependencies', () => {
    expect(dockerfile.stages.map((stage) => stage.name)).not.toContain(runtime.base);
    expect(runtime.base).toMatch(/^node:/);
  });

  it('installs only production dependencies in the runtime image, exactly as locked', () => {
    const runs = instructionsOf(runtime, 'RUN');
    expect(runs.some((command) => /\bnpm ci\b[^&|;]*--omit=dev\b/.test(command))).toBe(true);
    expect(runs.filter((command) => /\bnpm (install|i)\b/.test(command))).toEqual([]);
  });

  it('runs the service and every example as an unprivileged user', () => {
    for (const stage of [runtime, ...exampleStages]) {
      const user = effectiveSetting(dockerfile, stage, 'USER');
      expect({ stage: stage.name, user }).toEqual({ stage: stage.name, user: expect.not.stringMatching(/^(root|0)(:|$)/) });
      expect(user).toBeDefined();
    }
  });

  it('sets only variables the service reads, to values its production configuration accepts', () => {
    const environment = effectiveEnvironment(dockerfile, runtime);
    expect(Object.keys(environment).filter((name) => !CONFIGURATION_VARIABLES.includes(name))).toEqual([]);
    expect(loadConfig(imageEnvironment()).isProduction).toBe(true);
  });

  it('exposes the port the service listens on by default', () => {
    expect(exposedPorts(runtime)).toEqual([loadConfig(imageEnvironment()).port]);
  });

  it('puts the compiled service and the migrations where the service looks for them', () => {
    const copies = copiesOf(dockerfile, runtime);
    const fromBuild = copies.filter((copy) => copy.from === buildStage?.name);
    expect(fromBuild.some((copy) => copy.sources.includes('/app/dist') && copy.destination === path.posix.join(runtimeDirectory, 'dist'))).toBe(true);
    // src/database/migrations.ts looks for prisma/migrations in the directories above dist/src.
    const migrations = copies.find((copy) => copy.from === null && copy.sources.some((source) => source.replace(/\/$/, '') === 'prisma/migrations'));
    expect(migrations?.destination).toBe(path.posix.join(runtimeDirectory, 'prisma', 'migrations'));
    expect(readdirSync(path.join(root, 'prisma', 'migrations')).length).toBeGreaterThan(0);
  });

  it('copies the GraphQL Playground files the service needs into the runtime image', () => {
    // Recreate exactly what the runtime stage copies of the package, and let the service look for its files there.
    const image = temporaryDirectory('image');
    const packagePrefix = `/app/node_modules/${PLAYGROUND_PACKAGE}/`;
    const copied = copiesOf(dockerfile, runtime).filter((copy) => copy.from === buildStage?.name && copy.sources.every((source) => source.startsWith(packagePrefix)));
    expect(copied.length).toBeGreaterThan(0);
    for (const copy of copied) {
      for (const source of copy.sources) {
        const relative = source.slice('/app/'.length).replace(/\/$/, '');
        const target = path.join(image, copy.destination.slice(runtimeDirectory.length + 1));
        mkdirSync(path.dirname(target), { recursive: true });
        symlinkSync(path.join(root, relative), target);
      }
    }
    const assets = locatePlaygroundAssets(() => path.join(image, 'node_modules', PLAYGROUND_PACKAGE, 'package.json'));
    expect(assets.byUrlPath.size).toBeGreaterThan(0);
  });

  it('checks health on a path the service serves, at the PORT the container is given', async () => {
    for (const port of [undefined, '4321']) {
      const environment = { ...imageEnvironment(), ...(port ? { PORT: port } : {}) };
      const check = await runHealthCheck(healthCheckOf(runtime), { redirectTo: server.url, environment });
      expect(check.exitCode).toBe(0);
      expect(check.requestedUrls).toHaveLength(1);
      const requested = new URL(check.requestedUrls[0]!);
      expect(Number(requested.port)).toBe(loadConfig(environment).port);
      expect((await fetch(`${server.url}${requested.pathname}`)).status).toBe(200);
    }
  });

  it('reports the service unhealthy when nothing answers', async () => {
    const check = await runHealthCheck(healthCheckOf(runtime), { redirectTo: 'http://127.0.0.1:1', environment: imageEnvironment() });
    expect(check.exitCode).not.toBe(0);
  });

  it('builds the examples in the build stage and runs each from its compiled entry point, on the port it exposes', () => {
    expect(buildStage).toBeDefined();
    expect(copiesOf(dockerfile, buildStage!).some((copy) => copy.from === null && copy.sources.some((source) => source.replace(/\/$/, '') === 'examples'))).toBe(true);
    expect(exampleStages.map((stage) => stage.name).sort()).toEqual(['example-gateway', 'example-reviews']);
    for (const stage of exampleStages) {
      expect(dockerfile.lineage(stage)).toContain(buildStage);
      const [executable, entryPoint = ''] = commandOf(stage);
      expect(executable).toBe('node');
      expect(entryPoint).toMatch(/^dist\/examples\/[\w-]+\/main\.js$/);
      expect({ stage: stage.name, source: existsSync(path.join(root, entryPoint.replace(/^dist\//, '').replace(/\.js$/, '.ts'))) }).toEqual({ stage: stage.name, source: true });
      expect(exposedPorts(stage)).toEqual([Number(effectiveEnvironment(dockerfile, stage).PORT)]);
    }
  });

  it('copies from the build context only paths that exist and that .dockerignore lets through', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    // A pattern excludes the path it names and everything under it; "**/" lets it match at any depth.
    const isIgnored = (source: string) =>
      ignored.some((pattern) => {
        const body = pattern.replace(/^(\*\*\/|\/)/, '').replace(/\/$/, '');
        const glob = new RegExp(`^${body.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`);
        const segments = source.split('/');
        const depths = pattern.startsWith('**/') ? segments.map((_segment, index) => index) : [0];
        return depths.some((depth) => glob.test(segments.slice(depth).join('/')));
      });
    const contextSources = dockerfile.stages.flatMap((stage) => copiesOf(dockerfile, stage).filter((copy) => copy.from === null).flatMap((copy) => copy.sources));
    const problems = contextSources.flatMap((source) => {
      const normalized = source.replace(/^\.\//, '').replace(/\/$/, '');
      const directory = path.join(root, path.dirname(normalized));
      const pattern = new RegExp(`^${path.basename(normalized).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      const matches = existsSync(directory) ? readdirSync(directory).filter((name) => pattern.test(name)) : [];
      if (matches.length === 0) return [`${source}: not in the repository`];
      return isIgnored(normalized) ? [`${source}: excluded by .dockerignore`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('keeps secrets, local state and host build output out of the build context', () => {
    const patterns = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim().replace(/^\*\*\//, ''));
    expect(patterns).toEqual(expect.arrayContaining(['.env', '.git', 'node_modules', 'dist', '.data', 'src/generated']));
  });
});
