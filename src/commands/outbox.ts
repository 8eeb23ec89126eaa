import { ConfigError } from '../config/config-error';
import { loadConfig } from '../config/load-config';
import { DatabaseInUseError } from '../database/database-in-use-error';
import { formatOutboxListing, listOutbox, OutboxUnavailableError } from '../development-mail/outbox-command';

const DEFAULT_COUNT = 10;

/**
 * `npm run outbox [count]`: the newest mail kept in the outbox (no SMTP_URL), with its links, from the
 * running server or, when none answers, from the database (README, "Development mail").
 */
async function printOutbox(): Promise<void> {
  const count = Number.parseInt(process.argv[2] ?? '', 10);
  const listing = await listOutbox(loadConfig(), Number.isNaN(count) ? DEFAULT_COUNT : count);
  process.stdout.write(formatOutboxListing(listing));
}

printOutbox().catch((error: unknown) => {
  const isExplained = error instanceof ConfigError || error instanceof DatabaseInUseError || error instanceof OutboxUnavailableError;
  console.error(isExplained ? error.message : error);
  process.exit(1);
});
