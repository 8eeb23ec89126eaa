import { z } from 'zod';
import { badUserInput } from '../errors';
import type { AuthEvent, PrismaClient } from '../generated/prisma/client';
import { idField, parseInput } from '../graphql/input-validation';

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

interface CursorPosition {
  readonly createdAt: Date;
  readonly id: string;
}

const encodeCursor = (position: CursorPosition): string =>
  Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');

/** Years an audit row can have; the ISO format allows year 0000, which PostgreSQL's timestamp refuses. */
const CURSOR_YEARS = { first: 2000, last: 9999 } as const;

/**
 * A cursor is only ever one this connection wrote, so anything that does not encode back to exactly the
 * text presented (another year, extra precision, padding, a hand-made date) is refused as input here,
 * before it can reach the database as a value it cannot hold.
 */
function decodeCursor(cursor: string): CursorPosition {
  const refused = () => badUserInput('after', 'Not a cursor from this connection.');
  let position: CursorPosition;
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    position = { createdAt: new Date(createdAt), id };
    if (encodeCursor(position) !== cursor) throw refused();
  } catch {
    throw refused();
  }
  const year = position.createdAt.getUTCFullYear();
  if (year < CURSOR_YEARS.first || year > CURSOR_YEARS.last) throw refused();
  return position;
}
