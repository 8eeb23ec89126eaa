/**
 * For every mutation that answers with tokens (signUp, login, selectAccount, verifyTwoFactor,
 * switchAccount, refreshToken). Tokens belong to the TokenStore alone, not to a cache that any
 * component can read and that outlives a sign-out until cleared.
 */
export const KEEP_TOKENS_OUT_OF_CACHE = { fetchPolicy: 'no-cache' } as const;
