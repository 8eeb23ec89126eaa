import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import { AccountType } from '../accounts/account.type';
import type { Account } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import type { TwoFactorRequirementService } from './two-factor-requirement.service';
import type { TotpSetup, TwoFactorService } from './two-factor.service';
import { RecoveryCodesType, TotpSetupType } from './two-factor.types';

/** The services these resolvers reach through the context. */
type TwoFactorContext = GraphQLContext<{ readonly twoFactor: TwoFactorService; readonly twoFactorRequirements: TwoFactorRequirementService }>;

@Resolver()
export class TwoFactorResolver {
  @Mutation(() => TotpSetupType, {
    description: 'Starts turning on TOTP: a new secret, pending until confirmTotp. Needs the current password.',
  })
  @ChecksCredential()
  enableTotp(@Arg('currentPassword', () => String) currentPassword: string, @Ctx() context: TwoFactorContext): Promise<TotpSetup> {
    return context.services.twoFactor.beginSetup(requireViewer(context), currentPassword, context.request);
  }

  @Mutation(() => RecoveryCodesType, { description: 'Turns TOTP on with a code from the app; returns recovery codes, shown this once. Ends your other sessions.' })
  @ChecksCredential()
  async confirmTotp(@Arg('code', () => String) code: string, @Ctx() context: TwoFactorContext): Promise<RecoveryCodesType> {
    return { codes: await context.services.twoFactor.confirmSetup(requireViewer(context), code, context.request) };
  }

  @Mutation(() => Boolean, { description: 'Turns TOTP off, given a current code or a recovery code. Ends your other sessions.' })
  @ChecksCredential()
  disableTotp(@Arg('code', () => String) code: string, @Ctx() context: TwoFactorContext): Promise<boolean> {
    return context.services.twoFactor.disable(requireViewer(context), code, context.request);
  }

  @Mutation(() => AccountType, { description: "Owners only: whether this account's owners and admins must have 2FA on to log into it." })
  setTwoFactorRequirement(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('required', () => Boolean) required: boolean,
    @Ctx() context: TwoFactorContext,
  ): Promise<Account> {
    return context.services.twoFactorRequirements.setRequirement(requireViewer(context), accountId, required, context.request);
  }
}
