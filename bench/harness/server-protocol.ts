import type { MintedSession, SessionHolder } from './fixtures';

/** Messages from the bench to its server process, each answered once (matched by id). */
export type ServerCommand =
  | { readonly command: 'mintSessions'; readonly count: number; readonly holder: SessionHolder }
  | { readonly command: 'verifyHashes'; readonly concurrency: number; readonly durationSeconds: number }
  | { readonly command: 'resetPeakRss' }
  | { readonly command: 'peakRss' }

  | { readonly command: 'stop' };

export interface ServerResults {
  readonly mintSessions: MintedSession[];
  readonly verifyHashes: { readonly perSecond: number };
  readonly resetPeakRss: null;
  readonly peakRss: number;

  readonly stop: null;
}

export interface ServerRuntime {
  readonly argon2: { readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number };
  readonly hashConcurrency: number;
  readonly hashQueueLimit: number;
  readonly threadPoolSize: string;
  readonly databasePoolSize: number;
}

export interface ServerReady {
  readonly type: 'ready';
  /** The full app, the same app without its auth layer, and bare Apollo Server on Express and standalone (harness/bare-apollo.ts). */
  readonly ports: { readonly full: number; readonly bare: number; readonly apolloOnExpress: number; readonly apolloStandalone: number };
  readonly fixtures: { readonly listAccountId: string; readonly loginEmails: readonly string[]; readonly probeEmails: readonly string[] };
  readonly runtime: ServerRuntime;
}
