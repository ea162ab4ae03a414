-- The web app's query pattern (Prisma), written out as the SQL Prisma sends: OFFSET paging
-- with a full COUNT, relation loads by foreign key, `take: 1000` fetches aggregated in the
-- client, `contains` (ILIKE) filters. Used only by the benchmarks.

-- name: web_page_instructor
SELECT s.* FROM public.solicitudes s WHERE s."instructorId" = :id
 ORDER BY s."createdAt" DESC OFFSET :offset LIMIT :limit;

-- name: web_count_instructor$
SELECT count(*) FROM public.solicitudes s WHERE s."instructorId" = :id;

-- name: web_page_centro
SELECT s.* FROM public.solicitudes s
 WHERE s."programaId" IN (SELECT p."id" FROM public.programas p WHERE p."centroId" = :id)
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
 ORDER BY s."createdAt" DESC OFFSET :offset LIMIT :limit;

-- name: web_count_centro$
SELECT count(*) FROM public.solicitudes s
 WHERE s."programaId" IN (SELECT p."id" FROM public.programas p WHERE p."centroId" = :id)
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud");

-- name: web_page_all
SELECT s.* FROM public.solicitudes s
 WHERE (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
 ORDER BY s."createdAt" DESC OFFSET :offset LIMIT :limit;

-- name: web_count_all$
SELECT count(*) FROM public.solicitudes s
 WHERE (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud");

-- name: web_search
SELECT s.* FROM public.solicitudes s
 WHERE s."codigo" ILIKE :q OR s."nombreEmpresa" ILIKE :q
 ORDER BY s."createdAt" DESC OFFSET 0 LIMIT 10;

-- name: web_search_count$
SELECT count(*) FROM public.solicitudes s WHERE s."codigo" ILIKE :q OR s."nombreEmpresa" ILIKE :q;

-- name: web_programas_in
SELECT * FROM public.programas WHERE "id" = ANY(:ids);

-- name: web_users_in
SELECT * FROM public.users WHERE "id" = ANY(:ids);

-- name: web_horarios_in
SELECT * FROM public.horarios_detallados WHERE "solicitudId" = ANY(:ids);

-- name: web_solicitud^
SELECT * FROM public.solicitudes WHERE "id" = :id;

-- name: web_notificaciones
SELECT * FROM public.notificaciones WHERE "usuarioId" = :id
 ORDER BY "fechaCreada" DESC LIMIT 20;

-- name: web_unread$
SELECT count(*) FROM public.notificaciones WHERE "usuarioId" = :id AND "leida" = false;

-- name: drop_cx_indexes#
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT indexname FROM pg_indexes
              WHERE schemaname = 'public' AND indexname LIKE 'cx\_%' LOOP
        EXECUTE format('DROP INDEX public.%I', r.indexname);
    END LOOP;
END
$$;

-- name: pick_instructor^
-- The busiest instructor (worst case for the instructor's screens).
SELECT "instructorId" AS id, count(*) AS n FROM public.solicitudes
 GROUP BY 1 ORDER BY 2 DESC LIMIT 1;

-- name: pick_coordinador^
-- A coordinador of the centro with the most solicitudes.
SELECT u."id", count(*) AS n FROM public.users u
  JOIN public.programas p ON p."centroId" = u."centroId"
  JOIN public.solicitudes s ON s."programaId" = p."id"
 WHERE u."role" = 'COORDINADOR' AND u."isActive"
 GROUP BY u."id" ORDER BY 2 DESC LIMIT 1;

-- name: pick_admin$
SELECT "id" FROM public.users WHERE "role" = 'ADMIN' AND "isActive" ORDER BY "createdAt" LIMIT 1;

-- name: solicitudes_total$
SELECT count(*) FROM public.solicitudes;

-- name: deep_cursor^
-- The keyset position of a deep page (what page `:offset / 50` of the list starts after).
SELECT s."createdAt", s."id" FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE CASE :role WHEN 'INSTRUCTOR' THEN s."instructorId" = :actor_id
                  WHEN 'COORDINADOR' THEN p."centroId" = :centro_id AND s."estado" <> 'BORRADOR'
                  ELSE s."estado" <> 'BORRADOR' END
 ORDER BY s."createdAt" DESC, s."id" DESC OFFSET :offset LIMIT 1;

-- name: deep_queue_cursor^
SELECT s."fechaSolicitud", s."id" FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE s."estado" IN ('PENDIENTE', 'EN_REVISION') AND (:role = 'ADMIN' OR p."centroId" = :centro_id)
 ORDER BY s."fechaSolicitud", s."id" OFFSET :offset LIMIT 1;

-- name: some_solicitud$
SELECT "id" FROM public.solicitudes WHERE "instructorId" = :actor_id ORDER BY "createdAt" DESC
 LIMIT 1;

-- name: active_list_queries$
-- Queries of the benchmark's pool still running on the server.
SELECT count(*) FROM pg_stat_activity
 WHERE application_name = :app AND state = 'active' AND pid <> pg_backend_pid();

-- name: search_terms^
-- Terms for the search benchmark, from a solicitud deep in the actor's scope: its codigo (an
-- exact match) and its responsable's full name (a rare term).
SELECT s."codigo", s."responsableNombre" FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE CASE :role WHEN 'INSTRUCTOR' THEN s."instructorId" = :actor_id
                  WHEN 'COORDINADOR' THEN p."centroId" = :centro_id AND s."estado" <> 'BORRADOR'
                  ELSE s."estado" <> 'BORRADOR' END
 ORDER BY s."createdAt" DESC, s."id" DESC OFFSET :offset LIMIT 1;

-- name: last_full_year$
SELECT extract(year FROM max("fechaSolicitud"))::int - 1 FROM public.solicitudes;

-- name: cpu_reference$
-- The server's reference workload (benchmarks/machine.py): a sort of 300 000 numbers in
-- memory, no table read.
SELECT count(*) FROM (SELECT (g::bigint * 7919) %% 300007 AS v FROM generate_series(1, 300000) g
                      ORDER BY v) s;
