import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string; readonly target?: string; readonly dockerfile?: string };
  readonly environment?: Record<string, string | number | boolean | null> | readonly string[];
  readonly ports?: readonly (string | number | { readonly target: number; readonly published?: number | string })[];
  readonly depends_on?: readonly string[] | Record<string, { readonly condition?: string }>;
  readonly healthcheck?: { readonly test?: string | readonly string[]; readonly disable?: boolean };
}

export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
}

export function readComposeFile(file: string): ComposeFile {
  return parse(readFileSync(file, 'utf8')) as ComposeFile;
}

/** A service's environment as written (before interpolation), whichever of the two YAML forms it uses. */
export function rawEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry: string) => {
        const separator = entry.indexOf('=');
        return separator === -1 ? [entry, ''] : [entry.slice(0, separator), entry.slice(separator + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]));
}

export interface Interpolation {
  readonly value: string;
  /** Variables used as ${NAME:?message} or ${NAME?message}: compose refuses to start without them. */
  readonly required: readonly string[];
  /** Variables used bare (${NAME} or $NAME) that the host environment lacks: compose warns and uses "". */
  readonly unsetWithoutDefault: readonly string[];
}

const REFERENCE = /\$(?:(\$)|\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_]\w*))/g;

/**
 * Compose's variable interpolation ($$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default},
 * ${NAME:?error}, ${NAME?error}) against a given host environment.
 */
export function interpolate(text: string, host: Record<string, string>): Interpolation {
  const required: string[] = [];
  const unsetWithoutDefault: string[] = [];
  const value = text.replace(REFERENCE, (_match, dollar?: string, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (dollar) return '$';
    const name = (braced ?? bare)!;
    const current = host[name];
    const isUnset = current === undefined || (operator?.startsWith(':') === true && current === '');
    switch (operator) {
      case ':-':
      case '-':
        return isUnset ? (argument ?? '') : current!;
      case ':?':
      case '?':
        required.push(name);
        return isUnset ? '' : current!;
      default:
        if (current === undefined) unsetWithoutDefault.push(name);
        return current ?? '';
    }
  });
  return { value, required, unsetWithoutDefault };
}

/** The container ports a service publishes (short syntax "host:container[/proto]", "ip:host:container", or long syntax). */
export function publishedContainerPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return Number(port.target);
    const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
    return Number(parts[parts.length - 1]);
  });
}

/** depends_on in long form; the short (list) form has no condition and is reported as such. */
export function dependencies(service: ComposeService): { readonly service: string; readonly condition: string | undefined }[] {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return dependsOn.map((name: string) => ({ service: name, condition: undefined }));
  return Object.entries(dependsOn).map(([name, options]) => ({ service: name, condition: options?.condition }));
}

export function buildTarget(service: ComposeService): string | undefined {
  return typeof service.build === 'object' ? service.build.target : undefined;
}
