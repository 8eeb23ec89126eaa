import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('WebhookEndpoint', { description: "An endpoint receiving the account's events, signed by the Standard Webhooks scheme." })
export class WebhookEndpointType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('CreatedWebhookEndpoint')
export class CreatedWebhookEndpointType {
  @Field(() => WebhookEndpointType)
  endpoint!: WebhookEndpointType;

  @Field(() => String, { description: 'The signing secret (whsec_…): shown this once, never listed again. Verify each request with it.' })
  secret!: string;
}
