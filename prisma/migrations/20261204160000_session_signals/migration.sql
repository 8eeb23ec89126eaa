-- Live session events (README, "Live session events"): every change that ends a session or changes a
-- membership announces itself with NOTIFY from a trigger, so it is sent in the transaction that makes
-- the change and delivered only if that transaction commits. A trigger rather than a call at each site:
-- sessions end in a dozen places (logout, reuse detection, password and 2FA changes, member removal,
-- leaving and deleting accounts, the session limit's plain SQL, cascades from deleting a user), and a
-- place added later is covered without anyone remembering. Payloads carry ids and a reason, never tokens.

CREATE FUNCTION "gatehouse_session_signal"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."revokedAt" IS NOT NULL AND OLD."revokedAt" IS NULL THEN
      PERFORM pg_notify('gatehouse_session_signals', json_build_object(
        'kind', 'session', 'sessionId', NEW."id", 'userId', NEW."userId", 'accountId', NEW."accountId", 'reason', NEW."revokedReason")::text);
    END IF;
  -- A row deleted while live went with its user or account (a revoked one has already been announced).
  ELSIF OLD."revokedAt" IS NULL THEN
    PERFORM pg_notify('gatehouse_session_signals', json_build_object(
      'kind', 'session', 'sessionId', OLD."id", 'userId', OLD."userId", 'accountId', OLD."accountId", 'reason', 'DELETED')::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Session_signal" AFTER UPDATE OF "revokedAt" OR DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION "gatehouse_session_signal"();

CREATE FUNCTION "gatehouse_membership_signal"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."roleName" IS DISTINCT FROM OLD."roleName" THEN
      PERFORM pg_notify('gatehouse_session_signals', json_build_object(
        'kind', 'membership', 'userId', NEW."userId", 'accountId', NEW."accountId", 'change', 'ROLE_CHANGED')::text);
    END IF;
  ELSE
    PERFORM pg_notify('gatehouse_session_signals', json_build_object(
      'kind', 'membership', 'userId', OLD."userId", 'accountId', OLD."accountId", 'change', 'REMOVED')::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Membership_signal" AFTER UPDATE OF "roleName" OR DELETE ON "Membership"
  FOR EACH ROW EXECUTE FUNCTION "gatehouse_membership_signal"();
