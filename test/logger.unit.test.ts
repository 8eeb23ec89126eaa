import { PassThrough } from 'node:stream';
import { createLogger, logFormatFor, prettyDestination } from '../src/logger';

describe('the log format', () => {
  it('is text for a person only in development on a terminal, JSON everywhere else', () => {
    expect(logFormatFor({ isDevelopment: true }, true)).toBe('pretty');
    // A pipe or a file (a process manager, `npm start > log`, these tests): lines a machine reads back.
    expect(logFormatFor({ isDevelopment: true }, false)).toBe('json');
    // Production and test read as JSON even on a terminal.
    expect(logFormatFor({ isDevelopment: false }, true)).toBe('json');
  });

  it('as text, puts the level and message first and still redacts credentials', async () => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const logger = createLogger({ logLevel: 'info' }, prettyDestination(stream, false));
    logger.info({ password: 'correct horse battery staple', port: 4000 }, 'Gatehouse listening');
    await new Promise((resolve) => setImmediate(resolve));

    const [firstLine] = written.split('\n');
    expect(firstLine).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: Gatehouse listening$/);
    expect(written).toContain('port: 4000');
    expect(written).toContain('[redacted]');
    expect(written).not.toContain('correct horse battery staple');
  });
});
