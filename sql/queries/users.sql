-- Users: the acting user, login, passwords.

-- name: actor_by_id^
-- The acting user as stored now: role, centro, active, and a pending password change.
SELECT u."id", u."email", u."name", u."cedula", u."role"::text AS "role", u."centroId",
       u."isActive", c."nombre" AS centro_nombre, c."codigo" AS centro_codigo,
       coalesce(st.must_change_password, false) AS must_change_password
  FROM public.users u
  JOIN public.centros c ON c."id" = u."centroId"
  LEFT JOIN complementarias.user_state st ON st.user_id = u."id"
 WHERE u."id" = :id;

-- name: actor_below_app_schema^
-- The acting user on a database rolled back below migration 0002 (no user_state yet: no
-- pending password change either), for the migrations screen only.
SELECT u."id", u."email", u."name", u."cedula", u."role"::text AS "role", u."centroId",
       u."isActive", c."nombre" AS centro_nombre, c."codigo" AS centro_codigo,
       false AS must_change_password
  FROM public.users u
  JOIN public.centros c ON c."id" = u."centroId"
 WHERE u."id" = :id;

-- name: user_for_login^
-- Emails are stored lower-case by us; the web app's may not be: compare case-insensitively.
SELECT u."id", u."email", u."password", u."isActive",
       coalesce(st.must_change_password, false) AS must_change_password
  FROM public.users u
  LEFT JOIN complementarias.user_state st ON st.user_id = u."id"
 WHERE lower(u."email") = lower(:email)
 ORDER BY (u."email" = lower(:email)) DESC
 LIMIT 1;

-- name: set_password!
UPDATE public.users SET "password" = :password, "updatedAt" = :now WHERE "id" = :id;

-- name: set_must_change_password!
INSERT INTO complementarias.user_state (user_id, must_change_password, password_changed_at)
VALUES (:id, :must_change, CASE WHEN :must_change THEN NULL ELSE now() END)
ON CONFLICT (user_id) DO UPDATE
   SET must_change_password = EXCLUDED.must_change_password,
       password_changed_at = EXCLUDED.password_changed_at;

-- name: password_hash_by_id$
SELECT "password" FROM public.users WHERE "id" = :id;
