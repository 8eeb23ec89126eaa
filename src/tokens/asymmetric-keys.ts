import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** The asymmetric JWS algorithms access tokens may be signed with; each follows from its key's type. */
export type AsymmetricAlgorithm = 'RS256' | 'ES256';

export interface AsymmetricPublicKey {
  readonly algorithm: AsymmetricAlgorithm;
  readonly publicKey: KeyObject;
}

export interface AsymmetricSigningKey extends AsymmetricPublicKey {
  readonly privateKey: KeyObject;
}

/** A key that cannot be used; the message names the problem, never the key material. */
export class KeyFormatError extends Error {
  override readonly name = 'KeyFormatError';
}

const MIN_RSA_BITS = 2048;
const SUPPORTED_KEYS = `an RSA key of at least ${MIN_RSA_BITS} bits (RS256) or an EC P-256 key (ES256)`;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * Reads the PEM private key that signs access tokens (PKCS#8, PKCS#1 or SEC1, unencrypted).
 * Literal "\n" escapes count as line breaks: a PEM squeezed onto one line is how most deployment
 * tools carry it in an environment variable.
 */
export function readSigningKey(text: string): AsymmetricSigningKey {
  const blocks = pemBlocks(text);
  if (blocks.length !== 1 || !blocks[0]!.label.endsWith('PRIVATE KEY')) {
    throw new KeyFormatError('must be exactly one PEM private key ("-----BEGIN PRIVATE KEY-----" …)');
  }
  if (blocks[0]!.label === 'ENCRYPTED PRIVATE KEY') {
    throw new KeyFormatError('must be an unencrypted PEM private key (protect the variable or file instead)');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: blocks[0]!.pem, format: 'pem' });
  } catch {
    // OpenSSL's message says nothing useful to an operator; ours must not echo the key either.
    throw new KeyFormatError('is not a readable PEM private key');
  }
  const algorithm = algorithmFor(privateKey);
  return { algorithm, privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * Reads one or more concatenated PEM public keys (SPKI "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY").
 * Private keys are refused: a retired private key should be destroyed, not kept in configuration.
 */
export function readPublicKeys(text: string): AsymmetricPublicKey[] {
  const blocks = pemBlocks(text);
  if (blocks.length === 0) throw new KeyFormatError('must hold one or more PEM public keys ("-----BEGIN PUBLIC KEY-----" …)');
  return blocks.map(({ label, pem }, index) => {
    const position = blocks.length > 1 ? ` (key ${index + 1})` : '';
    if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') {
      throw new KeyFormatError(`must hold PEM public keys only, found "${label}"${position}`);
    }
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: pem, format: 'pem' });
    } catch {
      throw new KeyFormatError(`holds an unreadable PEM public key${position}`);
    }
    try {
      return { algorithm: algorithmFor(publicKey), publicKey };
    } catch (error) {
      throw new KeyFormatError(`${(error as Error).message}${position}`);
    }
  });
}

/** RSA ≥ 2048 bits signs RS256, EC P-256 signs ES256; nothing else is accepted (RFC 7518, RFC 8725 §3.5). */
function algorithmFor(key: KeyObject): AsymmetricAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new KeyFormatError(`must be ${SUPPORTED_KEYS}; this RSA key has ${details.modulusLength ?? 0} bits`);
    }
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ES256';
  const found = key.asymmetricKeyType === 'ec' ? `an EC key on ${details.namedCurve ?? 'an unknown curve'}` : `a ${key.asymmetricKeyType ?? 'unknown'} key`;
  throw new KeyFormatError(`must be ${SUPPORTED_KEYS}; found ${found}`);
}

function pemBlocks(text: string): { label: string; pem: string }[] {
  const normalized = text.replace(/\\r/g, '').replace(/\\n/g, '\n');
  return [...normalized.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1]!, pem: match[0] }));
}
