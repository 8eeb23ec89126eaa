import { createHmac } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { AsymmetricAlgorithm, AsymmetricPublicKey, AsymmetricSigningKey } from './asymmetric-keys';

export type AccessTokenAlgorithm = 'HS256' | AsymmetricAlgorithm;

/** A key with the one algorithm it may be used with, named by its `kid`. */
export interface AccessTokenKey {
  readonly kid: string;
  readonly algorithm: AccessTokenAlgorithm;
  /** The HMAC secret (HS256), the private key (signing) or the public key (verifying). */
  readonly key: KeyObject;
}

/** An RFC 7517 public JWK, as published: public members only. */
export interface PublicJwk {
  readonly kty: string;
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: AsymmetricAlgorithm;
  readonly [member: string]: string;
}

export interface JsonWebKeySet {
  readonly keys: readonly PublicJwk[];
}

export interface AccessTokenKeySources {
  /** The HS256 key derived from JWT_SECRET (see keys.ts). */
  readonly hmacKey: KeyObject;
  /** JWT_PRIVATE_KEY: when set, it alone signs, and HS256 tokens are no longer accepted. */
  readonly signingKey: AsymmetricSigningKey | null;
  /** JWT_PREVIOUS_PUBLIC_KEYS: verify-only (the key before a rotation, or the next one published early). */
  readonly previousPublicKeys: readonly AsymmetricPublicKey[];
}

// What RFC 7518 §6 defines as public for each key type: anything else (d, p, q, dp …) never leaves.
const PUBLIC_MEMBERS: Record<string, readonly string[]> = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'] };

/**
 * The keys access tokens are signed and verified with, built once at start. Verification finds the
 * key by the token's `kid` and accepts only that key's algorithm, so a token cannot choose how it
 * is checked (no `alg: none`, no HMAC keyed with a public key, RFC 8725 §2.1).
 */
export class AccessTokenKeys {
  private constructor(
    /** The key new tokens are signed with. */
    readonly signing: AccessTokenKey,
    private readonly verifiers: ReadonlyMap<string, AccessTokenKey>,
    /** HS256 tokens signed before tokens carried a `kid` still verify, but only while HS256 signs. */
    private readonly verifierWithoutKid: AccessTokenKey | null,
    /** What other services verify with: the asymmetric public keys, never a symmetric one. */
    readonly jsonWebKeySet: JsonWebKeySet,
  ) {}

  static async create(sources: AccessTokenKeySources): Promise<AccessTokenKeys> {
    const published = await Promise.all(
      [...(sources.signingKey ? [sources.signingKey] : []), ...sources.previousPublicKeys].map(publish),
    );
    const verifiers = new Map<string, AccessTokenKey>();
    for (const { verifier } of published) verifiers.set(verifier.kid, verifier);

    let signing: AccessTokenKey;
    let verifierWithoutKid: AccessTokenKey | null = null;
    if (sources.signingKey) {
      // An asymmetric key replaces HS256 outright, so no HS256 verifier: other services could not check
      // those tokens anyway, and one algorithm family leaves nothing to confuse. Clients holding one
      // get UNAUTHENTICATED and refresh (refresh tokens are opaque, untouched by the switch).
      signing = { kid: published[0]!.verifier.kid, algorithm: sources.signingKey.algorithm, key: sources.signingKey.privateKey };
    } else {
      signing = { kid: hmacKeyId(sources.hmacKey), algorithm: 'HS256', key: sources.hmacKey };
      verifiers.set(signing.kid, signing);
      verifierWithoutKid = signing;
    }
    const keys = [...new Map(published.map(({ jwk }) => [jwk.kid, jwk])).values()];
    return new AccessTokenKeys(signing, verifiers, verifierWithoutKid, Object.freeze({ keys }));
  }

  /** The key a token names in its header; null when it names none we hold. */
  verifierFor(kid: string | undefined): AccessTokenKey | null {
    if (kid === undefined) return this.verifierWithoutKid;
    return this.verifiers.get(kid) ?? null;
  }
}

async function publish(source: AsymmetricPublicKey): Promise<{ verifier: AccessTokenKey; jwk: PublicJwk }> {
  const exported = await exportJWK(source.publicKey);
  const members = PUBLIC_MEMBERS[exported.kty ?? ''] ?? [];
  const publicJwk = Object.fromEntries(members.map((name) => [name, String((exported as Record<string, unknown>)[name])]));
  // RFC 7638 thumbprint: the same key always gets the same kid, on every instance, with no registry.
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    verifier: { kid, algorithm: source.algorithm, key: source.publicKey },
    jwk: { ...publicJwk, kid, use: 'sig', alg: source.algorithm } as PublicJwk,
  };
}

/**
 * A `kid` for the HS256 key that reveals nothing about it (an HMAC of a label, not a hash of the
 * key) and changes when JWT_SECRET does.
 */
function hmacKeyId(key: KeyObject): string {
  return `hs256-${createHmac('sha256', key).update('gatehouse/access-token/key-id').digest('base64url').slice(0, 16)}`;
}
