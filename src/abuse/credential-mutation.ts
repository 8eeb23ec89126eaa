import type { GraphQLField } from 'graphql';
import { Extensions } from 'type-graphql';

const CHECKS_CREDENTIAL = 'checksCredential';

/**
 * Marks a root mutation that checks a credential (a password, a token, a code) or sends mail: each call
 * is a guess or a message, so a request may carry only MAX_AUTH_MUTATIONS_PER_REQUEST of them
 * (http/auth-mutation-limit.ts), however they are aliased. Declared beside the mutation, read from the
 * schema: a new one cannot be left off a list kept elsewhere.
 */
export const ChecksCredential = (): MethodDecorator => Extensions({ [CHECKS_CREDENTIAL]: true });

export const checksCredential = (field: Pick<GraphQLField<unknown, unknown>, 'extensions'>): boolean =>
  field.extensions[CHECKS_CREDENTIAL] === true;
