-- Exports (tui/services/exports.py): the acting user of the CLI, and the rows of a list export.
-- The scope and filters repeat list_solicitudes (sql/queries/solicitudes.sql) exactly, so an
-- export holds what the list shows.

-- name: export_user_id_by_email$
-- The CLI's acting user (--as EMAIL); emails compared case-insensitively.
SELECT "id" FROM public.users WHERE lower("email") = lower(:email::text);

-- name: export_solicitud_id_by_codigo$
SELECT "id" FROM public.solicitudes WHERE "codigo" = upper(:codigo::text);

-- name: export_solicitudes
-- Every solicitud of the filtered list in the actor's scope, in the list's order (:orden, as
-- list_solicitudes), read through a server-side cursor (never the whole table at once).
WITH f AS NOT MATERIALIZED (
SELECT s."id", s."createdAt", s."codigo", s."estado"::text AS estado, s."fechaSolicitud",
       s."fechaRevision", s."fechaAprobacion", s."numeroFicha",
       s."instructorId", u."name" AS instructor_nombre, u."email" AS instructor_email,
       p."id" AS programa_id, p."codigo" AS programa_codigo, p."nombre" AS programa_nombre,
       c."id" AS centro_id, c."codigo" AS centro_codigo, c."nombre" AS centro_nombre,
       s."modalidad"::text AS modalidad, s."nombreEmpresa", s."nitEmpresa", s."municipio",
       s."departamento", s."numeroAprendicesInscribir", s."duracionMaxima",
       s."fechaInicioCurso", s."fechaFinalizacionCurso"
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.centros c ON c."id" = p."centroId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE complementarias.en_alcance(:role, :actor_id, :centro_id, :centro_filter,
                                  s."instructorId", s."estado" = :borrador, p."centroId")
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
   AND (s."instructorId" IN (SELECT id FROM complementarias.usuarios_coinciden(:q))
        OR s."programaId" IN (SELECT id FROM complementarias.programas_coinciden(:q))
        OR complementarias.solicitud_coincide(:q, s."codigo", s."numeroFicha", s."nombreEmpresa",
                                              s."responsableNombre", s."responsableCedula",
                                              s."responsableEmail")))
(SELECT * FROM f WHERE :orden::text = 'recientes' ORDER BY "createdAt" DESC, "id" DESC)
UNION ALL
(SELECT * FROM f WHERE :orden::text = 'antiguas' ORDER BY "createdAt", "id");

-- name: export_centro_by_codigo^
-- A centro by its code (the CLI's --centro), any actor may name one; scope is checked after.
SELECT "id", "codigo", "nombre", "isActive" FROM public.centros
 WHERE upper("codigo") = upper(:codigo::text);

-- name: export_centro_by_id^
-- The centro of a list's centro filter, named in the export's heading.
SELECT "id", "codigo", "nombre" FROM public.centros WHERE "id" = :id;
