import { Field, ID, InputType } from 'type-graphql';

@InputType('SignUpInput')
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the account created for the new user.' })
  accountName?: string | null;

  @Field(() => String, { nullable: true, description: 'Binds the session to this client: refresh must present the same clientId.' })
  clientId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'An invitation link\'s token: email must be the address it was sent to (else FORBIDDEN, INVITATION_EMAIL_MISMATCH). The user starts verified and joins the inviting account with its role, and the session is there; no personal account is created.',
  })
  inviteToken?: string | null;
}

@InputType('LoginInput', { description: 'Exactly one of email and username.' })
export class LoginInput {
  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => String)
  password!: string;

  @Field(() => String, { nullable: true })
  clientId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Log straight into this account, skipping the selection step.' })
  accountId?: string | null;
}

@InputType('SelectAccountInput')
export class SelectAccountInput {
  @Field(() => String)
  selectionToken!: string;

  @Field(() => ID)
  accountId!: string;
}

@InputType('RefreshTokenInput')
export class RefreshTokenInput {
  @Field(() => String)
  refreshToken!: string;

  @Field(() => String, { nullable: true })
  clientId?: string | null;
}
