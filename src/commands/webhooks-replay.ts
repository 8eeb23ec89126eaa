import type { Config } from '../config/config';
import { loadConfig } from '../config/load-config';
import { openDatabase } from '../database/open-database';
import { explainStartupFailure } from '../startup/startup-failure';
import { replayEvent } from '../webhooks/webhook-replay';

let config: Config | null = null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `npm run webhooks:replay -- <eventId>`: queues an audit event again for every endpoint that receives it
 * (the operator's and its account's), as fresh deliveries the running instances send within a poll
 * interval. On the embedded database, stop the server first: its data directory admits one process.
 */
async function replay(): Promise<void> {
  const eventId = process.argv[2] ?? '';
  if (!UUID.test(eventId)) {
    console.error('Usage: npm run webhooks:replay -- <eventId>   (the event\'s id, as in the webhook-id header)');
    process.exit(2);
  }
  config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const queued = await replayEvent(database.prisma, eventId, new Date(), null);
    console.log(queued > 0 ? `Queued ${queued} deliveries of ${eventId}.` : `No endpoint receives ${eventId} (or there is no such event).`);
  } finally {
    await database.close();
  }
}

replay().catch((error: unknown) => {
  console.error(explainStartupFailure(error, config) ?? error);
  process.exit(1);
});
