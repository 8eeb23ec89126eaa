/**
 * Who is on the other end of a request, as recorded on sessions, in the audit log and by the abuse
 * limits: a domain value the services receive, read from the transport by http/request-metadata.ts.
 */
export interface RequestMetadata {
  readonly ip: string | null;
  readonly userAgent: string | null;
}
