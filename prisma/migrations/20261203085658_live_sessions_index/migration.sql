-- DropIndex
DROP INDEX "Session_userId_idx";

-- CreateIndex
CREATE INDEX "Session_userId_revokedAt_createdAt_idx" ON "Session"("userId", "revokedAt", "createdAt");

