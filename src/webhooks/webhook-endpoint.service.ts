import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { RoleCatalog } from '../accounts/roles';
import type { AuditLog } from '../audit/audit-log';
import { AuthEventType } from '../audit/auth-event';
import type { Clock } from '../clock';
import { inTransaction } from '../database/transaction';
import { AppError, ErrorCode, ErrorReason, badUserInput } from '../errors';
import type { PrismaClient, WebhookEndpoint } from '../generated/prisma/client';
import { idField, isWellFormedText, parseInput } from '../graphql/input-validation';
import type { RequestMetadata } from '../identity/request-metadata';
import { lockActingMember } from '../members/acting-member';
import type { SecretBox } from '../two-factor/secret-box';
import { refuseEndpointUrl } from './target-policy';
import type { TargetPolicy } from './target-policy';
import { webhookEndpointOf } from './webhook-endpoint';
import type { AccountWebhookEndpoint } from './webhook-endpoint';
import { replayEvent } from './webhook-replay';
import { endpointSecretContext, generateWebhookSecret } from './webhook-secret';

/** Who is acting; their role is read again under the account's lock. */
export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
}

export interface WebhookEndpointServiceOptions {
  readonly prisma: PrismaClient;
  readonly roles: RoleCatalog;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  readonly targets: TargetPolicy;
  /** Endpoints one account may register: each one multiplies every event's deliveries. */
  readonly maxEndpointsPerAccount: number;
}

const createSchema = z.object({
  accountId: idField,
  url: z.string().trim().max(2000, 'at most 2000 characters'),
  description: z.string().trim().max(200, 'at most 200 characters').refine(isWellFormedText, 'not well-formed text').nullish(),
});
const deleteSchema = z.object({ accountId: idField, id: idField });
const replaySchema = z.object({ accountId: idField, eventId: idField });

/** An account's endpoints: registering (the secret shown once), listing, deleting, and replaying its events. */
export class WebhookEndpointService {
  constructor(private readonly options: WebhookEndpointServiceOptions) {}

  async list(accountId: string): Promise<AccountWebhookEndpoint[]> {
    const id = parseInput(idField, accountId, 'accountId');
    const rows = await this.options.prisma.webhookEndpoint.findMany({ where: { accountId: id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(webhookEndpointOf);
  }

  async create(actor: Actor, input: unknown, request: RequestMetadata): Promise<{ endpoint: AccountWebhookEndpoint; secret: string }> {
    const fields = parseInput(createSchema, input);
    const refusal = refuseEndpointUrl(fields.url, this.options.targets);
    if (refusal) throw badUserInput('url', `The URL ${refusal}.`, ErrorReason.WEBHOOK_TARGET_REFUSED);
    const { prisma, roles, clock, secretBox, maxEndpointsPerAccount } = this.options;
    return inTransaction(prisma, async (transaction) => {
      await lockActingMember(transaction, roles, { userId: actor.userId, accountId: fields.accountId, feature: 'webhooks', operation: 'c' });
      const existing = await transaction.webhookEndpoint.count({ where: { accountId: fields.accountId } });
      if (existing >= maxEndpointsPerAccount) {
        throw badUserInput('url', `An account may register at most ${maxEndpointsPerAccount} webhook endpoints.`, ErrorReason.WEBHOOK_ENDPOINT_LIMIT_REACHED);
      }
      const id = uuidv7();
      const secret = generateWebhookSecret();
      const row: WebhookEndpoint = await transaction.webhookEndpoint.create({
        data: { id, accountId: fields.accountId, url: fields.url, description: fields.description ?? null, sealedSecret: secretBox.seal(secret, endpointSecretContext(id)), createdAt: clock.now() },
      });
      // Written after the endpoint, so the new endpoint receives this event too: a first delivery to check the receiver by.
      await this.options.audit.record(
        { type: AuthEventType.WEBHOOK_ENDPOINT_CREATED, userId: actor.userId, sessionId: actor.sessionId, accountId: fields.accountId, details: { endpointId: id }, ...request },
        transaction,
      );
      return { endpoint: webhookEndpointOf(row), secret };
    });
  }

  async delete(actor: Actor, input: unknown, request: RequestMetadata): Promise<boolean> {
    const fields = parseInput(deleteSchema, input);
    return inTransaction(this.options.prisma, async (transaction) => {
      await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'webhooks', operation: 'd' });
      // Only within the account: another account's endpoint id is as unknown as a made-up one.
      const { count } = await transaction.webhookEndpoint.deleteMany({ where: { id: fields.id, accountId: fields.accountId } });
      if (count === 0) throw new AppError(ErrorCode.NOT_FOUND, 'This account has no webhook endpoint with that id.', { field: 'id' });
      await this.options.audit.record(
        { type: AuthEventType.WEBHOOK_ENDPOINT_DELETED, userId: actor.userId, sessionId: actor.sessionId, accountId: fields.accountId, details: { endpointId: fields.id }, ...request },
        transaction,
      );
      return true;
    });
  }

  /** Queues one of the account's events again for the account's endpoints; resolves with how many deliveries. */
  async replay(actor: Actor, input: unknown): Promise<number> {
    const fields = parseInput(replaySchema, input);
    return inTransaction(this.options.prisma, async (transaction) => {
      await lockActingMember(transaction, this.options.roles, { userId: actor.userId, accountId: fields.accountId, feature: 'webhooks', operation: 'c' });
      const event = await transaction.authEvent.findFirst({ where: { id: fields.eventId, accountId: fields.accountId }, select: { id: true } });
      if (!event) throw new AppError(ErrorCode.NOT_FOUND, 'This account has no event with that id.', { field: 'eventId' });
      return replayEvent(transaction, event.id, this.options.clock.now(), fields.accountId);
    });
  }
}
