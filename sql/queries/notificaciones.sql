-- Notifications: created by transitions and broadcasts; read by their owner only.

-- name: insert_notificacion!
INSERT INTO public.notificaciones ("id", "tipo", "titulo", "mensaje", "usuarioId", "solicitudId")
VALUES (:id, :tipo::"public"."TipoNotificacion", :titulo, :mensaje, :usuario_id, :solicitud_id);

-- name: active_coordinadores
SELECT "id" FROM public.users
 WHERE "centroId" = :centro_id AND "role" = 'COORDINADOR' AND "isActive"
 ORDER BY "id";

-- name: notificaciones_page
SELECT n."id", n."tipo"::text AS tipo, n."titulo", n."mensaje", n."leida", n."fechaCreada",
       n."solicitudId", s."codigo"
  FROM public.notificaciones n
  LEFT JOIN public.solicitudes s ON s."id" = n."solicitudId"
 WHERE n."usuarioId" = :usuario_id
   AND (NOT :unread_only OR NOT n."leida")
   AND (:after_ts::timestamp IS NULL OR (n."fechaCreada", n."id") < (:after_ts, :after_id))
 ORDER BY n."fechaCreada" DESC, n."id" DESC
 LIMIT :limit;

-- name: count_notificaciones$
SELECT count(*) FROM public.notificaciones
 WHERE "usuarioId" = :usuario_id AND (NOT :unread_only OR NOT "leida");

-- name: notificacion_of^
SELECT n."id", n."tipo"::text AS tipo, n."titulo", n."mensaje", n."leida", n."fechaCreada",
       n."solicitudId", s."codigo"
  FROM public.notificaciones n
  LEFT JOIN public.solicitudes s ON s."id" = n."solicitudId"
 WHERE n."id" = :id AND n."usuarioId" = :usuario_id;

-- name: mark_notificacion_read!
UPDATE public.notificaciones SET "leida" = true
 WHERE "id" = :id AND "usuarioId" = :usuario_id AND NOT "leida";

-- name: mark_all_notificaciones_read!
UPDATE public.notificaciones SET "leida" = true
 WHERE "usuarioId" = :usuario_id AND NOT "leida";

-- name: broadcast_recipients
-- Active users by role and/or centro and/or an explicit list (all active when none given).
SELECT "id" FROM public.users
 WHERE "isActive"
   AND (:role::text IS NULL OR "role" = :role::"public"."Role")
   AND (:centro_id::text IS NULL OR "centroId" = :centro_id)
   AND (:user_ids::text[] IS NULL OR "id" = ANY(:user_ids::text[]))
 ORDER BY "id";

-- name: reminder_targets
-- Coordinadores with old PENDIENTE solicitudes in their centro, not reminded yet today.
SELECT u."id" AS usuario_id, count(s."id") AS pendientes,
       (array_agg(s."codigo" ORDER BY s."fechaSolicitud", s."id"))[1] AS mas_antigua
  FROM public.users u
  JOIN public.programas p ON p."centroId" = u."centroId"
  JOIN public.solicitudes s ON s."programaId" = p."id"
 WHERE u."role" = 'COORDINADOR' AND u."isActive"
   AND s."estado" = :pendiente
   AND s."fechaSolicitud" < (now() AT TIME ZONE 'UTC') - make_interval(days => :days)
   AND NOT EXISTS (SELECT 1 FROM public.notificaciones n
                    WHERE n."usuarioId" = u."id" AND n."tipo" = 'RECORDATORIO'
                      AND n."fechaCreada" > (now() AT TIME ZONE 'UTC') - interval '20 hours')
 GROUP BY u."id"
 ORDER BY u."id";

-- name: listen_notificaciones#
LISTEN cx_notificaciones;
