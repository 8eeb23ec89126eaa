import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../graphql/viewer';
import type { AccountWebhookEndpoint } from './webhook-endpoint';
import type { WebhookEndpointService } from './webhook-endpoint.service';
import { CreateWebhookEndpointInput, DeleteWebhookEndpointInput, ReplayWebhookEventInput } from './webhook.inputs';
import { CreatedWebhookEndpointType, WebhookEndpointType } from './webhook.types';

type WebhookContext = GraphQLContext<{ readonly webhookEndpoints: WebhookEndpointService }>;

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookEndpointType], { description: "The account's webhook endpoints, without their secrets. Needs webhooks:r." })
  webhookEndpoints(@Arg('accountId', () => ID) accountId: string, @Ctx() context: WebhookContext): Promise<AccountWebhookEndpoint[]> {
    return context.services.webhookEndpoints.list(accountId);
  }

  @Mutation(() => CreatedWebhookEndpointType, { description: 'Registers an endpoint for the account\'s events; answers its signing secret, this once. Needs webhooks:c.' })
  createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() context: WebhookContext,
  ): Promise<{ endpoint: AccountWebhookEndpoint; secret: string }> {
    const viewer = requireViewer(context);
    return context.services.webhookEndpoints.create({ userId: viewer.userId, sessionId: viewer.sessionId }, input, context.request);
  }

  @Mutation(() => Boolean, { description: 'Deletes an endpoint and its pending deliveries. Needs webhooks:d.' })
  deleteWebhookEndpoint(@Arg('input', () => DeleteWebhookEndpointInput) input: DeleteWebhookEndpointInput, @Ctx() context: WebhookContext): Promise<boolean> {
    const viewer = requireViewer(context);
    return context.services.webhookEndpoints.delete({ userId: viewer.userId, sessionId: viewer.sessionId }, input, context.request);
  }

  @Mutation(() => Int, { description: "Sends one of the account's events to its endpoints again, as a fresh delivery; answers how many. Needs webhooks:c." })
  replayWebhookEvent(@Arg('input', () => ReplayWebhookEventInput) input: ReplayWebhookEventInput, @Ctx() context: WebhookContext): Promise<number> {
    const viewer = requireViewer(context);
    return context.services.webhookEndpoints.replay({ userId: viewer.userId, sessionId: viewer.sessionId }, input);
  }
}
