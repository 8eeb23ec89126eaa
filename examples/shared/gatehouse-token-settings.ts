/**
 * What a service needs to verify Gatehouse access tokens on its own (README, "Verifying tokens in
 * other services"): its published keys and what its tokens must say. No secret of Gatehouse's.
 */
export interface GatehouseTokenSettings {
  /** Gatehouse's GET /.well-known/jwks.json. */
  readonly jwksUrl: URL;
  /** Gatehouse's JWT_ISSUER and JWT_AUDIENCE (both `gatehouse` by default). */
  readonly issuer: string;
  readonly audience: string;
}

/** Access tokens are signed with Gatehouse's private key (JWT_PRIVATE_KEY): never HS256, whose key is not published. */
export const GATEHOUSE_ALGORITHMS: ('RS256' | 'ES256')[] = ['RS256', 'ES256'];
