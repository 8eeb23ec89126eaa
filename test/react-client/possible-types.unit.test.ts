import { gql } from '@apollo/client';
import { createGatehouseClient } from '../../examples/react-client/src/apollo/create-apollo-client';
import { TokenStore } from '../../examples/react-client/src/session/token-store';
import type { KeyValueStorage } from '../../examples/react-client/src/session/token-store';

class MemoryStorage implements KeyValueStorage {
  private readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

const CHOICE = gql`
  fragment Choice on LoginResult {
    ... on AccountSelectionRequired {
      selectionToken
    }
    ... on AuthPayload {
      role
    }
  }
`;

describe("the example client's cache", () => {
  it('matches fragments on the LoginResult union by the generated possibleTypes, without guessing or warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { apollo } = createGatehouseClient(new TokenStore(new MemoryStorage()), 'http://localhost:4000/graphql');
      apollo.cache.writeFragment({ id: 'LoginResult:1', fragment: CHOICE, data: { __typename: 'AccountSelectionRequired', selectionToken: 'ghs_x' } });

      const read = apollo.cache.readFragment({ id: 'LoginResult:1', fragment: CHOICE });

      expect(read).toEqual({ __typename: 'AccountSelectionRequired', selectionToken: 'ghs_x' });
      expect([...warn.mock.calls, ...error.mock.calls].map((call) => String(call[0]))).toEqual([]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
