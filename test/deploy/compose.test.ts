import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { CONFIGURATION_VARIABLES } from '../../src/config/environment';
import { loadConfig } from '../../src/config/load-config';
import { temporaryDirectory } from '../support/temporary-directories';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { buildTarget, dependencies, interpolate, publishedContainerPorts, rawEnvironment, readComposeFile } from './support/compose-file';
import type { ComposeService } from './support/compose-file';
import { effectiveEnvironment, execForm, instructionsOf, readDockerfile } from './support/dockerfile';
import { runHealthCheck } from './support/health-check';

/**
 * docker-compose.yml checked against what the service really accepts and serves, without Docker:
 * its environment goes through loadConfig, its health checks run against the real app.
 */
const root = path.resolve(__dirname, '..', '..');
const compose = readComposeFile(path.join(root, 'docker-compose.yml'));
const dockerfile = readDockerfile(path.join(root, 'Dockerfile'));
const services = Object.entries(compose.services);

/** Stands in for every ${NAME:?…} the operator must set; strong enough for JWT_SECRET's checks. */
const OPERATOR_VALUE = randomBytes(48).toString('base64');
const requiredVariables = new Set(
  services.flatMap(([, service]) => Object.values(rawEnvironment(service)).flatMap((value) => interpolate(value, {}).required)),
);
const hostEnvironment: Record<string, string> = Object.fromEntries([...requiredVariables].map((name) => [name, OPERATOR_VALUE]));

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(rawEnvironment(service)).map(([name, value]) => [name, interpolate(value, hostEnvironment).value]));
}

function serviceNamed(name: string): ComposeService {
  const service = compose.services[name];
  if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
  return service;
}

// Gatehouse is whichever service builds the Dockerfile stage that runs the service, whatever it is called.
const serviceStage = dockerfile.stages.find((stage) =>
  instructionsOf(stage, 'CMD').some((command) => execForm(command).at(-1) === 'dist/src/main.js'),
);
const [gatehouseName, gatehouse] = services.find(([, service]) => buildTarget(service) === serviceStage?.name) ?? [];
const exampleServices = services.filter(([, service]) => buildTarget(service)?.startsWith('example-'));

function gatehouseConfig() {
  return loadConfig(environmentOf(gatehouse!));
}

/** The port a service's process listens on: its PORT, from the compose file or else from its image. */
function listeningPort(name: string): number {
  if (name === gatehouseName) return gatehouseConfig().port;
  const service = serviceNamed(name);
  const target = buildTarget(service);
  const port = environmentOf(service).PORT ?? (target ? effectiveEnvironment(dockerfile, dockerfile.stage(target)).PORT : undefined);
  if (port === undefined) throw new Error(`${name}: no PORT in docker-compose.yml or its Dockerfile stage`);
  return Number(port);
}

function healthCheckCommand(service: ComposeService): string[] {
  const command = service.healthcheck?.test;
  if (!Array.isArray(command)) throw new Error('health check must be an exec-form list, e.g. ["CMD", "node", "-e", …]');
  return [...command];
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('docker-compose.yml', () => {
  it('builds Gatehouse from the Dockerfile stage that runs the service', () => {
    expect(serviceStage).toBeDefined();
    expect(gatehouseName).toBeDefined();
  });

  it("gives Gatehouse an environment its configuration accepts in production, on PostgreSQL and Redis", () => {
    const config = gatehouseConfig();
    expect(config.isProduction).toBe(true);
    expect(config.database.kind).toBe('postgres');
    expect(config.redisUrl).not.toBeNull();
  });

  it('passes Gatehouse only variables it reads', () => {
    const unknown = Object.keys(rawEnvironment(gatehouse!)).filter((name) => !CONFIGURATION_VARIABLES.includes(name));
    expect(unknown).toEqual([]);
  });

  it("sets every variable production requires, from the operator's environment and not a value in the file", () => {
    // What production requires is what loadConfig refuses to start without; each problem it names
    // must be answered by a variable the file takes from a ${NAME:?…} (compose stops if it is unset).
    let problems: string[] = [];
    try {
      loadConfig({ NODE_ENV: 'production', DATA_DIR: temporaryDirectory('compose') });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.message.split('\n').slice(1);
    }
    expect(problems.length).toBeGreaterThan(0);

    const raw = rawEnvironment(gatehouse!);
    const unanswered = problems.filter((problem) => {
      const named = CONFIGURATION_VARIABLES.filter((name) => new RegExp(`\\b${name}\\b`).test(problem));
      return !named.some((name) => raw[name] !== undefined && interpolate(raw[name]!, {}).required.length > 0);
    });
    expect(unanswered).toEqual([]);
  });

  it('uses no variable that compose would silently replace with an empty string', () => {
    const silentlyEmpty = services.flatMap(([name, service]) =>
      Object.values(rawEnvironment(service)).flatMap((value) => interpolate(value, hostEnvironment).unsetWithoutDefault.map((variable) => `${name}: ${variable}`)),
    );
    expect(silentlyEmpty).toEqual([]);
  });

  it('publishes the container ports the services listen on', () => {
    expect(publishedContainerPorts(gatehouse!)).toContain(gatehouseConfig().port);
    for (const [name, service] of services.filter(([, service]) => service.build !== undefined)) {
      for (const port of publishedContainerPorts(service)) expect({ service: name, port }).toEqual({ service: name, port: listeningPort(name) });
    }
  });

  it('points DATABASE_URL and REDIS_URL at its PostgreSQL and Redis services, with the credentials PostgreSQL is given', () => {
    const environment = environmentOf(gatehouse!);
    const database = new URL(environment.DATABASE_URL!);
    const postgres = serviceNamed(database.hostname);
    expect(postgres.image).toMatch(/^postgres:/);
    const postgresEnvironment = environmentOf(postgres);
    expect({ user: decodeURIComponent(database.username), password: decodeURIComponent(database.password), database: database.pathname.slice(1) }).toEqual({
      user: postgresEnvironment.POSTGRES_USER,
      password: postgresEnvironment.POSTGRES_PASSWORD,
      database: postgresEnvironment.POSTGRES_DB,
    });

    const redis = new URL(environment.REDIS_URL!);
    expect(serviceNamed(redis.hostname).image).toMatch(/^redis:/);
    expect(dependencies(gatehouse!).map((dependency) => dependency.service)).toEqual(expect.arrayContaining([database.hostname, redis.hostname]));
  });

  it('gives every service a health check, and makes every dependency wait for it', () => {
    const withoutHealthCheck = services.filter(([, service]) => !service.healthcheck?.test || service.healthcheck.disable).map(([name]) => name);
    expect(withoutHealthCheck).toEqual([]);

    const notWaitingForHealth = services.flatMap(([name, service]) =>
      dependencies(service)
        .filter((dependency) => dependency.condition !== 'service_healthy' || !compose.services[dependency.service]?.healthcheck?.test)
        .map((dependency) => `${name} → ${dependency.service} (${dependency.condition ?? 'no condition'})`),
    );
    expect(notWaitingForHealth).toEqual([]);
  });

  it("checks Gatehouse's health on a path the service serves and the port it listens on", async () => {
    const check = await runHealthCheck(healthCheckCommand(gatehouse!), { redirectTo: server.url, environment: environmentOf(gatehouse!) });
    expect(check.exitCode).toBe(0);
    expect(check.requestedUrls).toHaveLength(1);
    const requested = new URL(check.requestedUrls[0]!);
    expect(['127.0.0.1', 'localhost']).toContain(requested.hostname);
    expect(Number(requested.port)).toBe(gatehouseConfig().port);
    expect((await fetch(`${server.url}${requested.pathname}`)).status).toBe(200);
  });

  it('reports Gatehouse unhealthy when nothing answers', async () => {
    const check = await runHealthCheck(healthCheckCommand(gatehouse!), { redirectTo: 'http://127.0.0.1:1', environment: environmentOf(gatehouse!) });
    expect(check.exitCode).not.toBe(0);
  });

  describe('the examples', () => {
    it('include the gateway and the reviews subgraph', () => {
      expect(exampleServices.map(([, service]) => buildTarget(service)).sort()).toEqual(['example-gateway', 'example-reviews']);
    });

    it('compose subgraphs that are services of this file, at the port and GraphQL path each serves', async () => {
      const [gatewayName, gateway] = exampleServices.find(([, service]) => buildTarget(service) === 'example-gateway')!;
      const subgraphs = environmentOf(gateway).GATEWAY_SUBGRAPHS!.split(',').map((pair) => {
        const [name = '', url = ''] = pair.split('=');
        return { name: name.trim(), url: new URL(url.trim()) };
      });
      expect(subgraphs.map((subgraph) => subgraph.url.hostname)).toContain(gatehouseName);
      for (const { url } of subgraphs) {
        expect({ url: url.href, port: Number(url.port) }).toEqual({ url: url.href, port: listeningPort(url.hostname) });
        expect(url.pathname).toBe('/graphql');
      }
      const waitsFor = dependencies(gateway).map((dependency) => dependency.service);
      expect(waitsFor).toEqual(expect.arrayContaining(subgraphs.map((subgraph) => subgraph.url.hostname)));
      expect(gatewayName).not.toBe(gatehouseName);

      // Gatehouse's part of that contract, checked on the real service.
      const gatehouseUrl = subgraphs.find((subgraph) => subgraph.url.hostname === gatehouseName)!.url;
      const response = await fetch(`${server.url}${gatehouseUrl.pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    });

    it("give the gateway the GATEWAY_SECRET Gatehouse expects: in production Gatehouse shows its SDL to nobody else", () => {
      const [, gateway] = exampleServices.find(([, service]) => buildTarget(service) === 'example-gateway')!;
      const secret = gatehouseConfig().gatewaySecret;
      expect(secret).not.toBeNull();
      expect(environmentOf(gateway).GATEWAY_SECRET).toBe(secret);
      expect(interpolate(rawEnvironment(gateway).GATEWAY_SECRET!, {}).required).toEqual(['GATEWAY_SECRET']);
    });

    it('check /healthz on the port each listens on, and fail when it does not answer 200', async () => {
      const statuses = [200, 503];
      for (const status of statuses) {
        const stub = http.createServer((_request, response) => response.writeHead(status).end());
        await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
        const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
        try {
          for (const [name, service] of exampleServices) {
            const check = await runHealthCheck(healthCheckCommand(service), { redirectTo: stubUrl, environment: environmentOf(service) });
            const requested = check.requestedUrls.map((url) => new URL(url));
            expect({ name, exitCode: check.exitCode === 0 }).toEqual({ name, exitCode: status === 200 });
            expect(requested.map((url) => [url.pathname, Number(url.port)])).toEqual([['/healthz', listeningPort(name)]]);
          }
        } finally {
          await new Promise((resolve) => stub.close(resolve));
        }
      }
    });
  });
});
