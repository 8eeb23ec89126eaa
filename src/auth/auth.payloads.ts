import { createUnionType, Field, ID, ObjectType } from 'type-graphql';
import { AccountType } from '../accounts/account.type';
import { PermissionType } from '../accounts/permission.type';
import { UserType } from '../users/user.type';

@ObjectType('AuthPayload', { description: 'A started session: its tokens, who it is for and what it may do.' })
export class AuthPayloadType {
  @Field(() => String, { description: 'Always "Bearer".' })
  tokenType!: string;

  @Field(() => String, { description: 'JWT (typ at+jwt) to send as "Authorization: Bearer <token>".' })
  accessToken!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => String, { description: 'Opaque and single use: every refresh returns a new one.' })
  refreshToken!: string;

  @Field(() => Date)
  refreshExpiresAt!: Date;

  @Field(() => UserType)
  user!: UserType;

  @Field(() => AccountType)
  account!: AccountType;

  @Field(() => String)
  role!: string;

  @Field(() => [PermissionType])
  access!: PermissionType[];
}

@ObjectType('AccountOption')
export class AccountOptionType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  role!: string;
}

@ObjectType('AccountSelectionRequired', {
  description: 'The user belongs to several accounts: pick one with selectAccount. With none left, `accounts` is empty: start one with createAccount and the selection token.',
})
export class AccountSelectionRequiredType {
  @Field(() => String, { description: 'Short-lived and single use; good only for selectAccount, loginAccounts and createAccount.' })
  selectionToken!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => [AccountOptionType])
  accounts!: AccountOptionType[];

  @Field(() => ID, { nullable: true, description: 'The account last logged into, set whenever the user has one.' })
  lastAccountId!: string | null;
}

@ObjectType('TwoFactorRequired', { description: 'The password was right; finish with verifyTwoFactor and a TOTP or recovery code.' })
export class TwoFactorRequiredType {
  @Field(() => String, { description: 'Short-lived and single use; good only for verifyTwoFactor.' })
  challengeToken!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

export const LoginResult = createUnionType({
  name: 'LoginResult',
  types: () => [AuthPayloadType, AccountSelectionRequiredType, TwoFactorRequiredType] as const,
  resolveType: (value) =>
    'challengeToken' in value ? TwoFactorRequiredType : 'selectionToken' in value ? AccountSelectionRequiredType : AuthPayloadType,
});
