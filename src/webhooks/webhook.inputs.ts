import { Field, ID, InputType } from 'type-graphql';

@InputType('CreateWebhookEndpointInput')
export class CreateWebhookEndpointInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { description: 'https:// in production, and not an address of a private network.' })
  url!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('DeleteWebhookEndpointInput')
export class DeleteWebhookEndpointInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID)
  id!: string;
}

@InputType('ReplayWebhookEventInput')
export class ReplayWebhookEventInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => ID, { description: "An AuthEvent's id (the webhook-id header)." })
  eventId!: string;
}
