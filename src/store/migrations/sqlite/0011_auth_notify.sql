-- 0011_auth_notify: nothing on SQLite. On PostgreSQL this migration adds the triggers that tell
-- servers when sessions, users or organisations change, so that they may keep valid sessions in
-- memory (src/store/session_cache.c). An SQLite server asks the database for every request: the
-- lookup costs no round trip there. Kept as a migration of its own so that the numbers stay the
-- same on both backends.
SELECT 1;
