import { Field, ObjectType } from 'type-graphql';
import { InvitationStatus } from './invitation.type';

@ObjectType('InvitationPreview', {
  description: 'What an invitation link shows before anyone signs in: enough to decide, nothing about anyone (no address, no id).',
})
export class InvitationPreviewType {
  @Field(() => String)
  accountName!: string;

  @Field(() => String, { description: 'The inviter\'s username, or "A member": never their email.' })
  inviterName!: string;

  @Field(() => String, { description: 'The role the invitation grants.' })
  role!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => InvitationStatus)
  status!: InvitationStatus;
}
