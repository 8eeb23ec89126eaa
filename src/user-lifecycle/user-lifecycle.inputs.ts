import { Field, InputType } from 'type-graphql';

@InputType('ChangeEmailInput')
export class ChangeEmailInput {
  @Field(() => String, { description: 'The address to move to; it is confirmed by a link mailed there.' })
  newEmail!: string;

  @Field(() => String, { description: 'Fresh proof that the account holder is asking, not just a stolen access token.' })
  currentPassword!: string;

  @Field(() => String, { nullable: true, description: 'A current TOTP or recovery code: required when you have two-factor authentication on.' })
  twoFactorCode?: string | null;
}

@InputType('DeleteMyUserInput')
export class DeleteMyUserInput {
  @Field(() => String, { description: 'Fresh proof that the account holder is asking, not just a stolen access token.' })
  currentPassword!: string;

  @Field(() => String, { nullable: true, description: 'A current TOTP or recovery code: required when you have two-factor authentication on.' })
  twoFactorCode?: string | null;
}
