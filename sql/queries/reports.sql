-- Reports: aggregates over the actor's scope (coordinators: solicitudes whose programa belongs
-- to their centro; admins: every centro, or the one they filter by). Drafts are private to
-- their author and never counted.

-- Summary reads: complementarias.resumen_solicitudes holds exact counts per centro and Bogotá
-- month, one column per estado (kept by the cx_solicitudes_resumen_* triggers), so a
-- dashboard reads ~70 rows per centro (~9 000 for every centro) instead of the solicitudes.
-- :centro is the scope (a coordinador's centro, an admin's filter) or NULL for every centro.

-- name: resumen_totales^
-- Per estado over the scope (drafts left out), the PENDIENTE and EN_REVISION that have a
-- fechaSolicitud (mes > 0001-01-01), approved sums and answer times.
SELECT coalesce(sum(r.pendiente), 0) AS "PENDIENTE",
       coalesce(sum(r.en_revision), 0) AS "EN_REVISION",
       coalesce(sum(r.aprobada), 0) AS "APROBADA",
       coalesce(sum(r.rechazada), 0) AS "RECHAZADA",
       coalesce(sum(r.cancelada), 0) AS "CANCELADA",
       coalesce(sum(r.pendiente) FILTER (WHERE r.mes > DATE '0001-01-01'), 0)
           AS pendiente_enviadas,
       coalesce(sum(r.en_revision) FILTER (WHERE r.mes > DATE '0001-01-01'), 0)
           AS en_revision_enviadas,
       coalesce(sum(r.aprendices), 0) AS aprendices, coalesce(sum(r.horas), 0) AS horas,
       coalesce(sum(r.resp_n), 0) AS resp_n, coalesce(sum(r.resp_dias), 0) AS resp_dias
  FROM complementarias.resumen_solicitudes r
 WHERE :centro::text IS NULL OR r.centro_id = :centro;

-- name: resumen_years
-- The Bogotá years that have solicitudes (not drafts) in the scope, newest first.
SELECT DISTINCT extract(year FROM r.mes)::int AS year
  FROM complementarias.resumen_solicitudes r
 WHERE r.mes > DATE '0001-01-01'
   AND r.pendiente + r.en_revision + r.aprobada + r.rechazada + r.cancelada > 0
   AND (:centro::text IS NULL OR r.centro_id = :centro)
 ORDER BY year DESC;

-- name: recientes_por_estado^
-- What the summary's months cannot tell, read from a short index range: PENDIENTE and
-- EN_REVISION sent since the urgency cutoff (cx_solicitudes_estado_fecha_idx), and APROBADA
-- approved in the current month (cx_solicitudes_estado_aprobacion_idx), in the scope.
-- LEFT JOIN: for every centro (:centro NULL) the planner drops the unused join (index-only
-- counts); for one centro the condition makes it an inner join again.
SELECT (SELECT count(*) FROM public.solicitudes s
          LEFT JOIN public.programas p ON p."id" = s."programaId"
         WHERE s."estado" = :pendiente AND s."fechaSolicitud" >= :urgente_antes
           AND (:centro::text IS NULL OR p."centroId" = :centro)) AS pendientes_recientes,
       (SELECT count(*) FROM public.solicitudes s
          LEFT JOIN public.programas p ON p."id" = s."programaId"
         WHERE s."estado" = :en_revision AND s."fechaSolicitud" >= :urgente_antes
           AND (:centro::text IS NULL OR p."centroId" = :centro)) AS en_revision_recientes,
       (SELECT count(*) FROM public.solicitudes s
          LEFT JOIN public.programas p ON p."id" = s."programaId"
         WHERE s."estado" = :aprobada
           AND s."fechaAprobacion" >= :mes_desde AND s."fechaAprobacion" < :mes_hasta
           AND (:centro::text IS NULL OR p."centroId" = :centro)) AS aprobadas_mes;
