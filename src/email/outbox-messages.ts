import type { PrismaClient } from '../generated/prisma/client';
import { linksIn } from './messages';

/** A message in the outbox as a developer needs it: who, what, the links to open, when. */
export interface OutboxEntry {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly links: readonly string[];
  readonly createdAt: Date;
}

/** At most this many per read: enough to find the mail just sent, short enough for a terminal. */
export const MAX_OUTBOX_ENTRIES = 100;

/** The newest `limit` messages of the outbox (see OutboxMailer), newest first. */
export async function readRecentOutboxMessages(prisma: PrismaClient, limit: number): Promise<OutboxEntry[]> {
  const rows = await prisma.outboxMessage.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.min(Math.max(1, limit), MAX_OUTBOX_ENTRIES),
    select: { id: true, to: true, subject: true, text: true, createdAt: true },
  });
  return rows.map(({ text, ...row }) => ({ ...row, links: linksIn(text) }));
}
