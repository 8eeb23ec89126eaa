-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL,
    "accountId" UUID,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "sealedSecret" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "leaseToken" UUID,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_accountId_idx" ON "WebhookEndpoint"("accountId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_idx" ON "WebhookDelivery"("endpointId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_eventId_endpointId_key" ON "WebhookDelivery"("eventId", "endpointId");

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AuthEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The outbox is written by a trigger rather than by each path that writes an audit event: every path is
-- covered, including the hot paths' plain SQL (login, refresh) and any written later, and the row commits
-- or rolls back with the event. It writes a row only for an endpoint that can receive the event (operator
-- endpoints get every event, an account's only its own), so with no endpoint configured a login or a
-- refresh pays one probe of an empty index and writes nothing more. The row holds ids only: the payload is
-- built from the AuthEvent row at each attempt, so erasing a person (personal-data-erasure.ts) erases them
-- from every delivery still to come as well.
CREATE FUNCTION "webhook_outbox_enqueue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WebhookDelivery" ("id", "eventId", "endpointId", "nextAttemptAt", "createdAt")
  SELECT gen_random_uuid(), NEW."id", endpoint."id", NEW."createdAt", NEW."createdAt"
  FROM "WebhookEndpoint" endpoint
  WHERE endpoint."accountId" IS NULL OR endpoint."accountId" = NEW."accountId";
  RETURN NULL;
END
$$;

CREATE TRIGGER "AuthEvent_webhook_outbox" AFTER INSERT ON "AuthEvent"
  FOR EACH ROW EXECUTE FUNCTION "webhook_outbox_enqueue"();

-- Owners and admins manage their account's webhook endpoints (issue 14).
INSERT INTO "RolePermission" ("roleName", "feature", "access") VALUES
  ('owner', 'webhooks', 'crd'),
  ('admin', 'webhooks', 'crd');
