import { Field, ObjectType } from 'type-graphql';

@ObjectType('TotpSetup', { description: 'A pending TOTP secret: add it to an authenticator app, then confirmTotp with a code from it.' })
export class TotpSetupType {
  @Field(() => String, { description: 'Base32, for typing into the app by hand.' })
  secret!: string;

  @Field(() => String, { description: 'otpauth:// URL, for a QR code.' })
  otpauthUrl!: string;
}

@ObjectType('RecoveryCodes', { description: 'Shown once: each logs in once in place of a TOTP code.' })
export class RecoveryCodesType {
  @Field(() => [String])
  codes!: string[];
}
