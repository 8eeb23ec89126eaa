import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ServerCommand, ServerReady, ServerResults } from './server-protocol';

export interface ServerProcess extends ServerReady {
  readonly pid: number;
  call<Name extends ServerCommand['command']>(command: Extract<ServerCommand, { command: Name }>): Promise<ServerResults[Name]>;
  /** Peak RSS of the server process (bytes) while `work` ran. */
  measurePeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssBytes: number }>;
  stop(): Promise<void>;
}

/** Forks bench/harness/server.js (compiled next to this file) with the given environment and waits until it listens. */
export async function startServerProcess(environment: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child: ChildProcess = fork(path.join(__dirname, 'server.js'), [], { env: environment, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;

  const ready = await new Promise<ServerReady>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code} before it was ready`)));
    child.on('message', (message: ServerReady | { id: number; result?: unknown; error?: string }) => {
      if ('type' in message) return resolve(message);
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`bench server exited with ${code}`));
  });

  const call = <Name extends ServerCommand['command']>(command: Extract<ServerCommand, { command: Name }>) =>
    new Promise<ServerResults[Name]>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...command, id });
    });

  return {
    ...ready,
    pid: child.pid!,
    call,
    async measurePeakRss(work) {
      await call({ command: 'resetPeakRss' });
      const result = await work();
      return { result, peakRssBytes: await call({ command: 'peakRss' }) };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call({ command: 'stop' }).catch(() => undefined);
      await exited;
    },
  };
}
