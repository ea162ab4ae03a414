-- Instructor import (tui/services/imports.py). Inserts reuse admin_user_insert and
-- set_must_change_password (sql/queries/admin_users.sql, users.sql).

-- name: import_taken
-- Which of the file's emails and cédulas are already registered (emails case-insensitive).
SELECT lower("email") AS email, "cedula"
  FROM public.users
 WHERE lower("email") = ANY(:emails::text[]) OR "cedula" = ANY(:cedulas::text[]);
