-- Users administration (tui/services/users.py): lists, accounts, edits, activation, stats.
--
-- Scope, repeated in every WHERE (the service checks it too):
--   ADMIN        every user of every centro;
--   COORDINADOR  only the INSTRUCTOR users of their own centro (:actor_centro);
--   INSTRUCTOR   nobody (reads of one's own row are allowed where :actor_id says so).

-- name: admin_user_list
-- A keyset page of the users in the actor's scope, filtered, in the order :orden
-- (tui/services/users.py ORDENES): 'nombre' by (name, id), 'correo' by (email, id) along
-- users_email_key. The filtered set is written once (f); only :orden's branch runs.
WITH f AS NOT MATERIALIZED (
SELECT u."id", u."email", u."name", u."cedula", u."telefono", u."role"::text AS "role",
       u."centroId", c."codigo" AS centro_codigo, c."nombre" AS centro_nombre,
       u."especialidad", u."isActive", u."createdAt", u."updatedAt",
       coalesce(st.must_change_password, false) AS must_change_password
  FROM public.users u
  JOIN public.centros c ON c."id" = u."centroId"
  LEFT JOIN complementarias.user_state st ON st.user_id = u."id"
 WHERE CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text AND u."role" = 'INSTRUCTOR'
         ELSE false
       END
   AND (:role::text IS NULL OR u."role" = :role::"public"."Role")
   AND (:centro_id::text IS NULL OR u."centroId" = :centro_id::text)
   AND (:activo::boolean IS NULL OR u."isActive" = :activo::boolean)
   AND (:q::text IS NULL OR complementarias.texto_usuario(u."name", u."email", u."cedula")
                              LIKE complementarias.fold(:q::text)))
(SELECT * FROM f
  WHERE :orden::text = 'nombre'
    AND (:after_name::text IS NULL OR ("name", "id") > (:after_name::text, :after_id::text))
  ORDER BY "name", "id"
  LIMIT :limit)
UNION ALL
(SELECT * FROM f
  WHERE :orden::text = 'correo'
    AND (:after_name::text IS NULL OR ("email", "id") > (:after_name::text, :after_id::text))
  ORDER BY "email", "id"
  LIMIT :limit);

-- name: admin_user_count$
-- The exact total of the same filtered set as admin_user_list.
SELECT count(*)
  FROM public.users u
 WHERE CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text AND u."role" = 'INSTRUCTOR'
         ELSE false
       END
   AND (:role::text IS NULL OR u."role" = :role::"public"."Role")
   AND (:centro_id::text IS NULL OR u."centroId" = :centro_id::text)
   AND (:activo::boolean IS NULL OR u."isActive" = :activo::boolean)
   AND (:q::text IS NULL OR complementarias.texto_usuario(u."name", u."email", u."cedula")
                              LIKE complementarias.fold(:q::text));

-- name: admin_user_get^
-- One user, if in the actor's scope or the actor themselves.
SELECT u."id", u."email", u."name", u."cedula", u."telefono", u."role"::text AS "role",
       u."centroId", c."codigo" AS centro_codigo, c."nombre" AS centro_nombre,
       u."especialidad", u."isActive", u."createdAt", u."updatedAt",
       coalesce(st.must_change_password, false) AS must_change_password
  FROM public.users u
  JOIN public.centros c ON c."id" = u."centroId"
  LEFT JOIN complementarias.user_state st ON st.user_id = u."id"
 WHERE u."id" = :id
   AND (u."id" = :actor_id::text
        OR CASE :actor_role::text
             WHEN 'ADMIN' THEN true
             WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text
                                     AND u."role" = 'INSTRUCTOR'
             ELSE false
           END);

-- name: admin_user_email_taken$
-- Emails compared case-insensitively (the web app may have stored mixed case).
SELECT EXISTS (SELECT 1 FROM public.users
                WHERE lower("email") = lower(:email::text)
                  AND "id" <> coalesce(:exclude_id::text, ''));

-- name: admin_user_cedula_taken$
SELECT EXISTS (SELECT 1 FROM public.users
                WHERE "cedula" = :cedula::text AND "id" <> coalesce(:exclude_id::text, ''));

-- name: admin_user_insert^
-- No row when the actor may not create this role in this centro.
INSERT INTO public.users ("id", "email", "password", "name", "cedula", "telefono", "role",
                          "centroId", "especialidad", "isActive", "createdAt", "updatedAt")
SELECT :id::text, :email::text, :password::text, :name::text, :cedula::text, :telefono::text,
       :role::"public"."Role", :centro_id::text, :especialidad::text, true, :now, :now
 WHERE :actor_role::text = 'ADMIN'
    OR (:actor_role::text = 'COORDINADOR' AND :centro_id::text = :actor_centro::text
        AND :role::text = 'INSTRUCTOR')
RETURNING "id";

-- name: admin_user_update^
-- Coordinators: only their centro's instructors, and role, centro, email and cédula stay.
-- :expected_updated_at (optional) refuses a save based on a stale copy.
UPDATE public.users u SET
    "email" = :email::text,
    "name" = :name::text,
    "cedula" = :cedula::text,
    "telefono" = :telefono::text,
    "role" = :role::"public"."Role",
    "centroId" = :centro_id::text,
    "especialidad" = :especialidad::text,
    "updatedAt" = :now
 WHERE u."id" = :id
   AND (:expected_updated_at::timestamp IS NULL
        OR u."updatedAt" = :expected_updated_at::timestamp)
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text AND u."role" = 'INSTRUCTOR'
                                 AND :role::text = 'INSTRUCTOR'
                                 AND :centro_id::text = :actor_centro::text
                                 AND :email::text = u."email" AND :cedula::text = u."cedula"
         ELSE false
       END
RETURNING u."id";

-- name: admin_user_update_profile^
-- A user's own phone and especialidad; nothing else. :expected_updated_at (optional)
-- refuses a save based on a stale copy.
UPDATE public.users SET "telefono" = :telefono::text, "especialidad" = :especialidad::text,
                        "updatedAt" = :now
 WHERE "id" = :id AND "isActive"
   AND (:expected_updated_at::timestamp IS NULL
        OR "updatedAt" = :expected_updated_at::timestamp)
RETURNING "id";

-- name: admin_user_set_active^
-- Deactivate or reactivate; never one's own account.
UPDATE public.users u SET "isActive" = :active::boolean, "updatedAt" = :now
 WHERE u."id" = :id AND u."id" <> :actor_id::text
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text AND u."role" = 'INSTRUCTOR'
         ELSE false
       END
RETURNING u."id";

-- name: admin_user_open_solicitudes$
-- Solicitudes that keep a user from being deleted (DOMAIN.md: only deactivated).
SELECT count(*) FROM public.solicitudes
 WHERE "instructorId" = :id
   AND "estado" = ANY(:comprometidas::"public"."EstadoSolicitud"[]);

-- name: admin_user_soft_delete^
-- Delete = deactivate, only while the user has no open solicitudes (checked here too).
UPDATE public.users u SET "isActive" = false, "updatedAt" = :now
 WHERE u."id" = :id AND u."id" <> :actor_id::text
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text AND u."role" = 'INSTRUCTOR'
         ELSE false
       END
   AND NOT EXISTS (SELECT 1 FROM public.solicitudes s
                    WHERE s."instructorId" = u."id"
                      AND s."estado" = ANY(:comprometidas::"public"."EstadoSolicitud"[]))
RETURNING u."id";

-- name: admin_user_stats^
-- An instructor's solicitudes by estado, and hours and aprendices of the approved ones.
-- Drafts are private: they count only when the actor is the instructor.
SELECT count(s."id") FILTER (WHERE s."estado" = :borrador) AS borrador,
       count(s."id") FILTER (WHERE s."estado" = :pendiente) AS pendiente,
       count(s."id") FILTER (WHERE s."estado" = :en_revision) AS en_revision,
       count(s."id") FILTER (WHERE s."estado" = :aprobada) AS aprobada,
       count(s."id") FILTER (WHERE s."estado" = :rechazada) AS rechazada,
       count(s."id") FILTER (WHERE s."estado" = :cancelada) AS cancelada,
       coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = :aprobada), 0)
           AS horas_aprobadas,
       coalesce(sum(s."numeroAprendicesInscribir") FILTER (WHERE s."estado" = :aprobada), 0)
           AS aprendices_aprobados
  FROM public.users u
  LEFT JOIN public.solicitudes s
         ON s."instructorId" = u."id" AND (u."id" = :actor_id::text OR s."estado" <> :borrador)
 WHERE u."id" = :id
   AND (u."id" = :actor_id::text
        OR CASE :actor_role::text
             WHEN 'ADMIN' THEN true
             WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text
                                     AND u."role" = 'INSTRUCTOR'
             ELSE false
           END)
 GROUP BY u."id";

-- name: admin_user_reset_password^
-- A new (temporary) password hash for a user in the actor's scope; never one's own.
UPDATE public.users u SET "password" = :password::text, "updatedAt" = :now
 WHERE u."id" = :id AND u."id" <> :actor_id::text
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN u."centroId" = :actor_centro::text AND u."role" = 'INSTRUCTOR'
         ELSE false
       END
RETURNING u."id";
