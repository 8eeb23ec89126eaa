import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyFormatError, readPublicKeys, readSigningKey } from '../tokens/asymmetric-keys';
import type { AsymmetricPublicKey, AsymmetricSigningKey } from '../tokens/asymmetric-keys';
import type { ReportProblem } from './config-error';
import type { Environment } from './environment';

export interface SigningKeys {
  readonly signingKey: AsymmetricSigningKey | null;
  readonly previousPublicKeys: readonly AsymmetricPublicKey[];
}

type KeyVariable = 'JWT_PRIVATE_KEY' | 'JWT_PREVIOUS_PUBLIC_KEYS';

/**
 * JWT_PRIVATE_KEY and JWT_PREVIOUS_PUBLIC_KEYS, each given inline or as a *_FILE path (PEM in an
 * environment variable is awkward; a mounted secret file is not). Every bad variable is reported; no
 * message quotes key material.
 */
export function readSigningKeys(values: Pick<Environment, KeyVariable | `${KeyVariable}_FILE`>, report: ReportProblem): SigningKeys {
  const parseNamed = <Key>(variable: string, text: string, parse: (pem: string) => Key): Key | null => {
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof KeyFormatError)) throw error;
      report(variable, error.message);
      return null;
    }
  };
  const read = <Key>(variable: KeyVariable, parse: (pem: string) => Key): Key | null => {
    const inline = values[variable];
    const file = values[`${variable}_FILE`];
    if (inline !== undefined && file !== undefined) {
      report(variable, `set either ${variable} or ${variable}_FILE, not both`);
      return null;
    }
    if (file === undefined) return inline === undefined ? null : parseNamed(variable, inline, parse);
    const text = readKeyFile(file);
    if (text === null) {
      report(`${variable}_FILE`, `cannot read ${path.resolve(file)}`);
      return null;
    }
    return parseNamed(`${variable}_FILE`, text, parse);
  };
  return {
    signingKey: read('JWT_PRIVATE_KEY', readSigningKey),
    previousPublicKeys: Object.freeze(read('JWT_PREVIOUS_PUBLIC_KEYS', readPublicKeys) ?? []),
  };
}

function readKeyFile(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
