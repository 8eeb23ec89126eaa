import { CombinedGraphQLErrors } from '@apollo/client';

/** Gatehouse's stable reason when it gave one (e.g. INVALID_CREDENTIALS), else the message. */
function describe(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((graphqlError) => String(graphqlError.extensions?.reason ?? graphqlError.message)).join(', ');
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorMessage({ error }: { readonly error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {describe(error)}
    </p>
  );
}
