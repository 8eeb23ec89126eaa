import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ChecksCredential } from '../abuse/credential-mutation';
import { AccountType } from '../accounts/account.type';
import { AuthPayloadType } from '../auth/auth.payloads';
import type { Account } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { actAs, requireViewer } from '../graphql/viewer';
import type { SessionGrant } from '../sessions/session-grant';
import type { InvitationView } from './invitation-link';
import { InvitationPreviewType } from './invitation-preview.type';
import type { InvitationPreview, InvitationReads } from './invitation-reads.service';
import { AddMemberInput, InviteMemberInput } from './invitation.inputs';
import type { InvitationService } from './invitation.service';
import { InvitationStatus, InvitationType } from './invitation.type';

/** The services these resolvers reach through the context. */
type InvitationContext = GraphQLContext<{ readonly invitations: InvitationService; readonly invitationReads: InvitationReads }>;

@Resolver(() => InvitationType)
export class InvitationResolver {
  @Query(() => [InvitationType], {
    description: `The account's invitations, newest first (at most 1000), optionally of one status: a pending one past its expiry is EXPIRED. Needs invitations:r.`,
  })
  invitations(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('status', () => InvitationStatus, { nullable: true }) status: InvitationStatus | null,
    @Ctx() context: InvitationContext,
  ): Promise<InvitationView[]> {
    return context.services.invitationReads.listForAccount(requireViewer(context).userId, accountId, status);
  }

  @Query(() => [InvitationType], { description: 'Pending invitations to your verified email address (none until it is verified). Accept one with the link it was mailed with.' })
  myInvitations(@Ctx() context: InvitationContext): Promise<InvitationView[]> {
    return context.services.invitationReads.mine(requireViewer(context).userId);
  }

  @Query(() => InvitationPreviewType, {
    nullable: true,
    description: 'What an invitation link shows before signing in or up: the account, inviter, role, expiry and status. Null for a link that is not genuine.',
  })
  invitation(@Arg('token', () => String) token: string, @Ctx() context: InvitationContext): Promise<InvitationPreview | null> {
    return context.services.invitationReads.preview(token);
  }

  @Mutation(() => Boolean, {
    description:
      'Revokes an invitation of your session\'s account that was not answered yet: its link stops working. Needs invitations:d. An id of another account answers NOT_FOUND, as an unknown one does.',
  })
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() context: InvitationContext): Promise<boolean> {
    return context.services.invitations.revoke(requireViewer(context), id, context.request);
  }

  @Mutation(() => InvitationType, {
    description:
      'Mails a PENDING or EXPIRED invitation of your session\'s account again with a new link and expiry (the old link stops working); you become its inviter. Needs invitations:c and a role no lower than its role; limited as inviting is.',
  })
  resendInvitation(@Arg('id', () => ID) id: string, @Ctx() context: InvitationContext): Promise<InvitationView> {
    return context.services.invitations.resend(requireViewer(context), id, context.request);
  }

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
