import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import { AccountType } from '../accounts/account.type';
import { AuthPayloadType } from '../auth/auth.payloads';
import type { Account } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { actAs, requireViewer } from '../graphql/viewer';
import type { SessionGrant } from '../sessions/session-grant';
import { AddMemberInput, InviteMemberInput } from './invitation.inputs';
import type { InvitationView, InvitationService } from './invitation.service';
import { InvitationType } from './invitation.type';

/** The services these resolvers reach through the context. */
type InvitationContext = GraphQLContext<{ readonly invitations: InvitationService }>;

@Resolver(() => InvitationType)
export class InvitationResolver {
  @Mutation(() => InvitationType, {
    description:
      'Mails an invitation to join the account with a role within your own rights. Needs invitations:c. The answer is the same whether or not anyone has an account with that address.',
  })
  inviteMember(@Arg('input', () => InviteMemberInput) input: InviteMemberInput, @Ctx() context: InvitationContext): Promise<InvitationView> {
    return context.services.invitations.invite(requireViewer(context), input, context.request);
  }

  @Mutation(() => InvitationType, {
    description: 'Invites, exactly as inviteMember does: nobody becomes a member without accepting.',
    deprecationReason: 'Use inviteMember. addMember used to add an existing user without their consent; it now invites.',
  })
  addMember(@Arg('input', () => AddMemberInput) input: AddMemberInput, @Ctx() context: InvitationContext): Promise<InvitationView> {
    return context.services.invitations.invite(requireViewer(context), input, context.request);
  }

  @Mutation(() => AuthPayloadType, {
    description:
      'Joins the account an invitation is for, as the signed-in user whose verified email it was sent to, and answers a session there (your current session stays).',
  })
  @ChecksCredential()
  acceptInvitation(@Arg('token', () => String) token: string, @Ctx() context: InvitationContext): Promise<SessionGrant> {
    return context.services.invitations.accept(requireViewer(context), token, context.request).then((grant) => actAs(context, grant));
  }

  @Mutation(() => Boolean, { description: 'Turns an invitation down. The link is the proof: no session is needed, and an expired one can still be declined.' })
  @ChecksCredential()
  declineInvitation(@Arg('token', () => String) token: string, @Ctx() context: InvitationContext): Promise<boolean> {
    return context.services.invitations.decline(token, context.request);
  }

  @FieldResolver(() => String)
  role(@Root() invitation: InvitationView): string {
    return invitation.roleName;
  }

  @FieldResolver(() => AccountType)
  async account(@Root() invitation: InvitationView, @Ctx() context: InvitationContext): Promise<Account> {
    return (await context.loaders.accounts.load(invitation.accountId)) as Account;
  }
}
