-- DropForeignKey
ALTER TABLE "Membership" DROP CONSTRAINT "Membership_roleName_fkey";

-- DropForeignKey
ALTER TABLE "Invitation" DROP CONSTRAINT "Invitation_roleName_fkey";

-- CreateTable
CREATE TABLE "AccountRole" (
    "accountId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountRole_pkey" PRIMARY KEY ("accountId","name")
);

-- AddForeignKey
ALTER TABLE "AccountRole" ADD CONSTRAINT "AccountRole_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Written by hand. Gatehouse's own features are account, members, audit, invitations and roles (issue 13):
-- billing was never checked by Gatehouse, so it is the application's to declare in its features file
-- (README, Features file), and roles is new: owners and admins manage the account's own roles, each
-- within the permissions they hold themselves.
DELETE FROM "RolePermission" WHERE "feature" = 'billing';
UPDATE "Role" SET "description" = 'Everything, including deleting the account and handing it over.' WHERE "name" = 'owner';
INSERT INTO "RolePermission" ("roleName", "feature", "access") VALUES
  ('owner', 'roles', 'crud'),
  ('admin', 'roles', 'crud');
