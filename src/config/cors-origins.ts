import type { ReportProblem } from './config-error';

export const EXACT_ORIGIN_MESSAGE = 'each entry must be an origin such as https://app.example.com (scheme, lower-case host, port; no path)';

/**
 * An origin exactly as a browser sends it in the Origin header (lower case, no default port, no
 * path): the list is compared as text, so anything else could never match.
 */
export function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * '*' lets any web page call the API with a token it holds. Harmless for a local tool, but in
 * production the operator must name the apps they trust, so a leaked token is not usable from anywhere.
 */
export function checkCorsOrigins(origins: readonly string[], isProduction: boolean, report: ReportProblem): '*' | readonly string[] {
  if (!origins.includes('*')) return Object.freeze([...origins]);
  if (isProduction) report('CORS_ORIGINS', "'*' is refused in production; list the origins");
  else if (origins.length > 1) report('CORS_ORIGINS', "'*' cannot be combined with origins");
  return '*';
}
