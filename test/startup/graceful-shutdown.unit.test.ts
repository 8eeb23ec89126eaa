import { createShutdownHandler } from '../../src/startup/graceful-shutdown';
import type { DrainableApp } from '../../src/startup/graceful-shutdown';

/** An app that records, in order and with the time since the test began, what shutting down asked of it. */
function recordingApp(closing: () => Promise<void> = async () => undefined) {
  const started = performance.now();
  const events: { event: string; atMilliseconds: number }[] = [];
  const record = (event: string) => events.push({ event, atMilliseconds: performance.now() - started });
  let exited!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (exited = resolve));
  const app: DrainableApp = {
    beginDraining: () => record('drain'),
    close: () => {
      record('close');
      return closing();
    },
  };
  const logs: string[] = [];
  const options = {
    logger: { info: (_fields: object, message: string) => logs.push(message), error: (_fields: object, message: string) => logs.push(message) },
    exit: (code: number) => {
      record(`exit ${code}`);
      exited(code);
    },
  };
  return { app, options, events, logs, exitCode, names: () => events.map(({ event }) => event) };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('graceful shutdown', () => {
  it('turns readiness off at once and closes only after the drain', async () => {
    const recorder = recordingApp();
    const shutdown = createShutdownHandler(recorder.app, { ...recorder.options, drainMilliseconds: 150, closeTimeoutMilliseconds: 5_000 });

    shutdown('SIGTERM');
    expect(recorder.names()).toEqual(['drain']);
    await sleep(75);
    expect(recorder.names()).toEqual(['drain']);

    expect(await recorder.exitCode).toBe(0);
    expect(recorder.names()).toEqual(['drain', 'close', 'exit 0']);
    expect(recorder.events[1]!.atMilliseconds).toBeGreaterThanOrEqual(140);
    expect(recorder.logs[0]).toContain('shutting down');
  });

  it('closes at once when there is no drain to wait for', async () => {
    const recorder = recordingApp();
    const shutdown = createShutdownHandler(recorder.app, { ...recorder.options, drainMilliseconds: 0, closeTimeoutMilliseconds: 5_000 });

    shutdown('SIGTERM');

    expect(recorder.names()).toEqual(['close']);
    expect(await recorder.exitCode).toBe(0);
  });

  it('skips the rest of the drain on a second signal, and closes once', async () => {
    const recorder = recordingApp();
    const shutdown = createShutdownHandler(recorder.app, { ...recorder.options, drainMilliseconds: 60_000, closeTimeoutMilliseconds: 5_000 });

    shutdown('SIGTERM');
    shutdown('SIGINT');
    shutdown('SIGINT');

    expect(await recorder.exitCode).toBe(0);
    expect(recorder.names()).toEqual(['drain', 'close', 'exit 0']);
  });

  it('exits 1 when closing fails', async () => {
    const recorder = recordingApp(() => Promise.reject(new Error('database would not close')));
    const shutdown = createShutdownHandler(recorder.app, { ...recorder.options, drainMilliseconds: 0, closeTimeoutMilliseconds: 5_000 });

    shutdown('SIGTERM');

    expect(await recorder.exitCode).toBe(1);
    expect(recorder.logs).toContain('error during shutdown');
  });

  it('exits 1 when closing outlasts the timeout, counted from the close and not from the signal', async () => {
    const recorder = recordingApp(() => new Promise<void>(() => undefined));
    const shutdown = createShutdownHandler(recorder.app, { ...recorder.options, drainMilliseconds: 100, closeTimeoutMilliseconds: 100 });

    shutdown('SIGTERM');

    expect(await recorder.exitCode).toBe(1);
    expect(recorder.names()).toEqual(['drain', 'close', 'exit 1']);
    expect(recorder.events[2]!.atMilliseconds - recorder.events[1]!.atMilliseconds).toBeGreaterThanOrEqual(90);
  });
});
