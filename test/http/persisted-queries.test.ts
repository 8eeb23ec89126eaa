import { createHash } from 'node:crypto';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const QUERY = '{ __typename }';
const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(QUERY).digest('hex') };

/** Automatic persisted queries are off (README, "Persisted queries"): every form of them gets one documented answer. */
describe('automatic persisted queries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(() => server.close());

  const expectNotSupported = async (response: Response) => {
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] });
  };

  it('refuse a document offered for registration: nothing is stored, nothing runs', async () => {
    await expectNotSupported(await server.post(JSON.stringify({ query: QUERY, extensions: { persistedQuery } })));
  });

  it('refuse a hash alone, by POST or by GET, even after the document was offered', async () => {
    await server.post(JSON.stringify({ query: QUERY, extensions: { persistedQuery } }));
    await expectNotSupported(await server.post(JSON.stringify({ extensions: { persistedQuery } })));
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery }));
    await expectNotSupported(await fetch(`${server.url}/graphql?extensions=${extensions}`, { headers: { 'apollo-require-preflight': 'true' } }));
  });

  it('leave plain documents alone', async () => {
    expect((await server.graphql(QUERY)).data).toEqual({ __typename: 'Query' });
  });
});
