-- 0011_auth_notify: a server keeps valid sessions in memory (src/store/session_cache.c) for as
-- long as the database tells it about changes. These triggers NOTIFY the channel dangjian_auth
-- when a session row goes or is moved back in time ('s' + its token hash) and when a user or an
-- organisation's name or path changes ('*'); each server LISTENs on a connection of its own.
-- Touches (last_seen moving forward, once a minute per session) notify nothing.
-- Notifications are sent at commit, and not at all for a rolled-back transaction. Triggers do
-- not fire under `SET session_replication_role = replica` or on tables with triggers disabled
-- (pg_restore --disable-triggers): after such maintenance, restart the servers or run
-- NOTIFY dangjian_auth, '*'.
--
-- A PostgreSQL-compatible database without pg_notify (openGauss) keeps working: the call is
-- skipped, and the server's listener, whose LISTEN fails there, leaves the cache off.

CREATE FUNCTION dj_notify_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    PERFORM pg_notify('dangjian_auth', 's' || OLD.token_hash);
  EXCEPTION WHEN undefined_function THEN NULL;
  END;
  RETURN NULL;
END $$;

CREATE FUNCTION dj_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    PERFORM pg_notify('dangjian_auth', '*');
  EXCEPTION WHEN undefined_function THEN NULL;
  END;
  RETURN NULL;
END $$;

CREATE TRIGGER sessions_notify_delete AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION dj_notify_session();
CREATE TRIGGER sessions_notify_update AFTER UPDATE ON sessions
  FOR EACH ROW WHEN (NEW.last_seen < OLD.last_seen OR NEW.token_hash <> OLD.token_hash
                     OR NEW.user_id <> OLD.user_id OR NEW.csrf_token <> OLD.csrf_token)
  EXECUTE FUNCTION dj_notify_session();
CREATE TRIGGER users_notify_update AFTER UPDATE ON users
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION dj_notify_auth();
CREATE TRIGGER users_notify_delete AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION dj_notify_auth();
CREATE TRIGGER orgs_notify AFTER UPDATE OF name, path ON orgs
  FOR EACH ROW WHEN (OLD.name <> NEW.name OR OLD.path <> NEW.path) EXECUTE FUNCTION dj_notify_auth();
-- TRUNCATE fires no row triggers.
CREATE TRIGGER sessions_notify_truncate AFTER TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION dj_notify_auth();
CREATE TRIGGER users_notify_truncate AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION dj_notify_auth();
CREATE TRIGGER orgs_notify_truncate AFTER TRUNCATE ON orgs
  FOR EACH STATEMENT EXECUTE FUNCTION dj_notify_auth();
