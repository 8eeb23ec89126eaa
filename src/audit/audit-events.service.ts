import { z } from 'zod';
import { badUserInput } from '../errors';
import type { AuthEvent, PrismaClient } from '../generated/prisma/client';
import { idField, parseInput } from '../input-validation';

export interface AuthEventPage {
  readonly edges: readonly { cursor: string; node: AuthEvent }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

const pageSchema = z.object({
  accountId: idField,
  first: z.number().int().min(1, 'at least 1').max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE}`).nullish(),
  after: z.string().max(200, 'too long').nullish(),
});

const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** Reads an account's audit log, newest first, with opaque cursors (Relay-style connection). */
export class AuditEventsService {
  constructor(private readonly prisma: PrismaClient) {}

  async page(input: { accountId: string; first?: number | null; after?: string | null }): Promise<AuthEventPage> {
    const fields = parseInput(pageSchema, input);
    const size = fields.first ?? DEFAULT_PAGE_SIZE;
    const after = fields.after ? decodeCursor(fields.after) : null;
    const rows = await this.prisma.authEvent.findMany({
      where: {
        accountId: fields.accountId,
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: size + 1,
    });
    const edges = rows.slice(0, size).map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

const encodeCursor = (event: AuthEvent): string =>
  Buffer.from(JSON.stringify([event.createdAt.toISOString(), event.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw badUserInput('after', 'Not a cursor from this connection.');
  }
}
