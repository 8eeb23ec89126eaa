import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';

export interface PemKeyPair {
  /** PKCS#8 PEM, as JWT_PRIVATE_KEY takes it. */
  readonly privateKey: string;
  /** SPKI PEM, as JWT_PREVIOUS_PUBLIC_KEYS takes it. */
  readonly publicKey: string;
}

/** A fresh RSA key pair (RS256), generated per test run: no key is ever committed. */
export const generateRsaKeyPair = (modulusLength = 2048): PemKeyPair =>
  generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

/** A fresh EC key pair on P-256 (ES256) unless another curve is named. */
export const generateEcKeyPair = (namedCurve = 'P-256'): PemKeyPair =>
  generateKeyPairSync('ec', {
    namedCurve,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

/** The RFC 7638 thumbprint a verifier would compute for this public key: the `kid` Gatehouse must use. */
export async function thumbprintOf(publicKeyPem: string): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(createPublicKey(publicKeyPem)), 'sha256');
}

/** The PEM on one line with literal "\n" escapes, the way many deployment tools carry it in a variable. */
export const onOneLine = (pem: string): string => pem.trim().replace(/\n/g, '\\n');
