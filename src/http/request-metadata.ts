import type { Request } from 'express';
import type { RequestMetadata } from '../identity/request-metadata';

const MAX_USER_AGENT_LENGTH = 512;

export function readRequestMetadata(request: Request): RequestMetadata {
  const userAgent = request.get('user-agent');
  return {
    // req.ip honours the TRUST_PROXY setting, so X-Forwarded-For is believed only from configured proxies.
    ip: request.ip ?? null,
    userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null,
  };
}
