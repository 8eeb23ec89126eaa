-- AlterTable
ALTER TABLE "User" ADD COLUMN     "usernameSkeleton" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "User_usernameSkeleton_key" ON "User"("usernameSkeleton");


-- Written by hand (Prisma's schema cannot declare a partial index). The users whose skeleton is still to
-- compute: those with a username from before this migration, and the few whose username looks like an
-- older user's. The backfill at every start (src/users/username-skeleton-backfill.ts) reads them through
-- this index in sign-up order; it holds nothing else, so once they are done that read is one look into an
-- empty index, however many users there are.
CREATE INDEX "User_usernameSkeleton_pending_idx" ON "User"("createdAt", "id")
  WHERE "usernameKey" IS NOT NULL AND "usernameSkeleton" IS NULL;
