import { Field, ID, InputType } from 'type-graphql';

@InputType('CreateAccountInput')
export class CreateAccountInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'For a user with no account left: the selection token of the login that answered AccountSelectionRequired with no accounts, instead of a bearer token.',
  })
  selectionToken?: string | null;
}

@InputType('UpdateAccountInput')
export class UpdateAccountInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  name!: string;
}

@InputType('DeleteAccountInput')
export class DeleteAccountInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: "The account's name exactly as it stands: proof the right account is being deleted." })
  confirmName!: string;

  @Field(() => String)
  currentPassword!: string;

  @Field(() => String, { nullable: true, description: 'A current TOTP or recovery code: required when you have two-factor authentication on.' })
  twoFactorCode?: string | null;
}
