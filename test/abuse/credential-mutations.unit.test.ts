import { getNamedType, isInputObjectType } from 'graphql';
import type { GraphQLArgument, GraphQLInputField } from 'graphql';
import { checksCredential } from '../../src/abuse/credential-mutation';
import { credentialMutationsOf } from '../../src/http/auth-mutation-limit';
import { createSchema } from '../../src/schema';

/** Names of what a caller proves themselves with. */
const CREDENTIAL = /password|token|code/i;

/** Mutations marked though they take no credential, and unmarked ones that take one: each for a reason. */
const MARKED_WITHOUT_CREDENTIAL: Readonly<Record<string, string>> = {
  requestPasswordReset: 'sends mail to whatever address it is given',
  resendVerification: 'sends mail',
};
const CREDENTIAL_WITHOUT_MARK: Readonly<Record<string, string>> = {
  logout: 'ends a session; its optional refresh token is 256 random bits, with nothing to guess, and a login followed by a logout in one document is ordinary',
};

function takesCredential(args: readonly (GraphQLArgument | GraphQLInputField)[], seen = new Set<string>()): boolean {
  return args.some((argument) => {
    if (CREDENTIAL.test(argument.name)) return true;
    const type = getNamedType(argument.type);
    if (!isInputObjectType(type) || seen.has(type.name)) return false;
    seen.add(type.name);
    return takesCredential(Object.values(type.getFields()), seen);
  });
}

describe('the credential-checking mutations the request limit counts', () => {
  it('are marked in the served schema on every mutation that takes a credential or sends mail, and on no other', async () => {
    const schema = await createSchema();
    const disagreements = Object.values(schema.getMutationType()!.getFields())
      .filter((field) => {
        const expected = (takesCredential(field.args) && !(field.name in CREDENTIAL_WITHOUT_MARK)) || field.name in MARKED_WITHOUT_CREDENTIAL;
        return checksCredential(field) !== expected;
      })
      .map((field) => `${field.name}: marked ${checksCredential(field)}`);

    expect(disagreements).toEqual([]);
    // What the request limit counts is read from that same schema.
    const counted = credentialMutationsOf({ getSchema: () => schema });
    expect([...counted].sort()).toEqual(Object.values(schema.getMutationType()!.getFields()).filter(checksCredential).map((field) => field.name).sort());
    expect(counted).toContain('login');
  });
});
