-- Setup and checks of the concurrency benchmark.

-- name: busy_centros
SELECT p."centroId" FROM public.programas p
 WHERE p."tipoFormacion" = 'COMPLEMENTARIA' AND p."isActive"
 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT :n;

-- name: instructors_of
SELECT "id" FROM public.users
 WHERE "role" = 'INSTRUCTOR' AND "isActive" AND "centroId" = ANY(:centros)
 ORDER BY "id" LIMIT :n;

-- name: coordinadores_of
SELECT "id" FROM public.users
 WHERE "role" = 'COORDINADOR' AND "isActive" AND "centroId" = ANY(:centros)
 ORDER BY "id" LIMIT :n;

-- name: duplicates$
SELECT (SELECT count(*) FROM (SELECT "codigo" FROM public.solicitudes GROUP BY 1
                               HAVING count(*) > 1) a)
     + (SELECT count(*) FROM (SELECT "numeroFicha" FROM public.solicitudes
                               WHERE "numeroFicha" IS NOT NULL GROUP BY 1
                               HAVING count(*) > 1) b);

-- name: history_gaps$
-- Solicitudes whose history does not lead, step by step, from creation to their estado.
SELECT count(*) FROM public.solicitudes s
 WHERE s."id" = ANY(:ids)
   AND (NOT EXISTS (SELECT 1 FROM complementarias.historial h
                     WHERE h.solicitud_id = s."id" AND h.accion = 'Creada')
        OR (s."estado" <> 'BORRADOR' AND NOT EXISTS (
                SELECT 1 FROM complementarias.historial h
                 WHERE h.solicitud_id = s."id" AND h.accion = 'Enviada'))
        OR (s."estado" = 'APROBADA' AND NOT EXISTS (
                SELECT 1 FROM complementarias.historial h
                 WHERE h.solicitud_id = s."id" AND h.estado_hasta = 'APROBADA'))
        OR coalesce((SELECT h.estado_hasta FROM complementarias.historial h
                      WHERE h.solicitud_id = s."id" ORDER BY h.creado_en DESC, h.id DESC
                      LIMIT 1), '') <> s."estado"::text);
