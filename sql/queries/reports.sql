-- Reports: aggregates over the actor's scope (coordinators: solicitudes whose programa belongs
-- to their centro; admins: every centro, or the one they filter by). Drafts are private to
-- their author and never counted.

-- name: report_dashboard^
-- The coordinator's home figures in one pass. Times are naive UTC (as Prisma stores them);
-- the caller passes the urgency cutoff and the bounds of the current Bogotá month in UTC.
SELECT count(*) FILTER (WHERE s."estado" = 'PENDIENTE') AS pendientes,
       count(*) FILTER (WHERE s."estado" = 'PENDIENTE'
                          AND s."fechaSolicitud" < :urgente_antes) AS urgentes,
       count(*) FILTER (WHERE s."estado" = 'EN_REVISION') AS en_revision,
       count(*) FILTER (WHERE s."estado" = 'APROBADA'
                          AND s."fechaAprobacion" >= :mes_desde
                          AND s."fechaAprobacion" < :mes_hasta) AS aprobadas_mes,
       count(*) FILTER (WHERE s."estado" = 'APROBADA') AS aprobadas,
       count(*) FILTER (WHERE s."estado" = 'RECHAZADA') AS rechazadas,
       avg(date_part('epoch', coalesce(s."fechaRevision", s."fechaAprobacion")
                              - s."fechaSolicitud") / 86400.0)
           FILTER (WHERE coalesce(s."fechaRevision", s."fechaAprobacion") IS NOT NULL)
           AS respuesta_dias,
       coalesce(sum(s."numeroAprendicesInscribir") FILTER (WHERE s."estado" = 'APROBADA'), 0)
           AS aprendices_aprobados,
       coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = 'APROBADA'), 0)
           AS horas_aprobadas
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE s."estado" <> 'BORRADOR'
   -- Every column read is in cx_solicitudes_programa_tablero_idx: an index-only scan of the
   -- scope's programas (date_part gives a float; extract's numeric is 5x slower to average).
   AND CASE :role
         WHEN 'COORDINADOR' THEN p."centroId" = :centro_id
         WHEN 'ADMIN' THEN :centro_filter::text IS NULL OR p."centroId" = :centro_filter
         ELSE false
       END;

-- name: report_queue_urgentes$
-- How many solicitudes of the review queue (same scope and search as count_review_queue)
-- have waited since before the cutoff.
SELECT count(*)
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE s."estado" IN ('PENDIENTE', 'EN_REVISION')
   AND s."fechaSolicitud" < :urgente_antes
   AND CASE :role
         WHEN 'COORDINADOR' THEN p."centroId" = :centro_id
         WHEN 'ADMIN' THEN :centro_filter::text IS NULL OR p."centroId" = :centro_filter
         ELSE false
       END
   AND (:q::text IS NULL OR s."codigo" ILIKE :q OR s."nombreEmpresa" ILIKE :q
        OR p."nombre" ILIKE :q OR u."name" ILIKE :q);
