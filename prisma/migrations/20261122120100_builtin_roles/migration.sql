-- Built-in roles. rank orders them: nobody can grant, change or remove a role ranked above their own.
-- Features: account (the tenant itself), members, billing, audit (the security log; append-only, so "r" is all there is).
INSERT INTO "Role" ("name", "rank", "description") VALUES
  ('owner',  400, 'Everything, including billing and deleting the account.'),
  ('admin',  300, 'Manages members below owner; reads and updates the account; reads the audit log.'),
  ('member', 200, 'Sees the other members.'),
  ('guest',  100, 'Nothing beyond their own user.');

INSERT INTO "RolePermission" ("roleName", "feature", "access") VALUES
  ('owner', 'account', 'crud'),
  ('owner', 'members', 'crud'),
  ('owner', 'billing', 'crud'),
  ('owner', 'audit',   'r'),
  ('admin', 'account', 'ru'),
  ('admin', 'members', 'crud'),
  ('admin', 'audit',   'r'),
  ('member', 'members', 'r');
