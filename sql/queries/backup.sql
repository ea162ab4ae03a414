-- Restoring a backup of the embedded server (tui/db/backup.py), run on its `postgres`
-- database. The database names are fixed: the live one is `complementarias`; a restore is
-- loaded into `complementarias_restore` and swapped in only when it loaded completely; the
-- replaced database is kept as `complementarias_previous` until the next restore.

-- name: backup_drop_restore_db!
DROP DATABASE IF EXISTS complementarias_restore WITH (FORCE);

-- name: backup_create_restore_db!
CREATE DATABASE complementarias_restore TEMPLATE template0 ENCODING 'UTF8';

-- name: backup_drop_previous_db!
DROP DATABASE IF EXISTS complementarias_previous WITH (FORCE);

-- name: backup_live_db_exists$
SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'complementarias');

-- name: backup_disconnect_live
-- End the sessions on the live database, so it can be renamed.
SELECT pg_terminate_backend(pid)
  FROM pg_stat_activity
 WHERE datname = 'complementarias' AND pid <> pg_backend_pid();

-- name: backup_keep_live_as_previous!
ALTER DATABASE complementarias RENAME TO complementarias_previous;

-- name: backup_promote_restored!
ALTER DATABASE complementarias_restore RENAME TO complementarias;
