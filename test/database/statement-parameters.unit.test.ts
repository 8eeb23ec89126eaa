import { StatementParameters } from '../../src/database/statement-parameters';

interface Input {
  readonly userId: string;
  readonly now: Date;
  readonly details: { readonly via: string } | null;
}

it('numbers placeholders in the order they are handed out and reads the values in that order', () => {
  const parameters = new StatementParameters<Input>();
  const $ = parameters.fields('now', 'userId');
  const details = parameters.add((input) => (input.details === null ? null : JSON.stringify(input.details)));
  const now = new Date('2026-07-01T00:00:00.000Z');

  expect($).toEqual({ now: '$1', userId: '$2' });
  expect(details).toBe('$3');
  expect(parameters.values({ userId: 'u-1', now, details: { via: 'test' } })).toEqual([now, 'u-1', '{"via":"test"}']);
  expect(parameters.values({ userId: 'u-2', now, details: null })).toEqual([now, 'u-2', null]);
});

it('gives a field used twice in the text one placeholder and one value', () => {
  const parameters = new StatementParameters<Input>();
  const $ = parameters.fields('userId');
  const text = `SELECT 1 WHERE ${$.userId}::uuid = ${$.userId}::uuid`;

  expect(text).toBe('SELECT 1 WHERE $1::uuid = $1::uuid');
  expect(parameters.values({ userId: 'u', now: new Date(0), details: null })).toEqual(['u']);
});
