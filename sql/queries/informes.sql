-- The reports screen: aggregates over a range of fechaSolicitud [desde, hasta) (naive UTC, as
-- Prisma stores it; the caller converts Bogotá dates) in the actor's scope (coordinators: the
-- programas of their centro; admins: every centro, or the one they filter by). Drafts are
-- private to their author and never counted.

-- name: informe_resumen^
-- Counts per estado, approval figures, response time, and how long the open solicitudes
-- (PENDIENTE, EN_REVISION) have waited at :now, in one pass.
SELECT count(*) FILTER (WHERE s."estado" = 'PENDIENTE') AS pendiente,
       count(*) FILTER (WHERE s."estado" = 'EN_REVISION') AS en_revision,
       count(*) FILTER (WHERE s."estado" = 'APROBADA') AS aprobada,
       count(*) FILTER (WHERE s."estado" = 'RECHAZADA') AS rechazada,
       count(*) FILTER (WHERE s."estado" = 'CANCELADA') AS cancelada,
       avg(extract(epoch FROM coalesce(s."fechaRevision", s."fechaAprobacion")
                              - s."fechaSolicitud") / 86400.0)
           FILTER (WHERE coalesce(s."fechaRevision", s."fechaAprobacion") IS NOT NULL)
           AS respuesta_dias,
       coalesce(sum(s."numeroAprendicesInscribir") FILTER (WHERE s."estado" = 'APROBADA'), 0)
           AS aprendices,
       coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = 'APROBADA'), 0) AS horas,
       count(*) FILTER (WHERE abierta AND espera < interval '3 days') AS d0_2,
       count(*) FILTER (WHERE abierta AND espera >= interval '3 days'
                          AND espera < interval '8 days') AS d3_7,
       count(*) FILTER (WHERE abierta AND espera >= interval '8 days'
                          AND espera < interval '15 days') AS d8_14,
       count(*) FILTER (WHERE abierta AND espera >= interval '15 days'
                          AND espera < interval '31 days') AS d15_30,
       count(*) FILTER (WHERE abierta AND espera >= interval '31 days') AS d31
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 CROSS JOIN LATERAL (SELECT s."estado" IN ('PENDIENTE', 'EN_REVISION') AS abierta,
                            :now - s."fechaSolicitud" AS espera) w
 WHERE s."estado" <> 'BORRADOR'
   AND s."fechaSolicitud" >= :desde AND s."fechaSolicitud" < :hasta
   AND CASE :role
         WHEN 'COORDINADOR' THEN p."centroId" = :centro_id
         WHEN 'ADMIN' THEN :centro_filter::text IS NULL OR p."centroId" = :centro_filter
         ELSE false
       END;

-- name: informe_grupos
-- The same figures per month (Bogotá calendar), per centro, per instructor (by id: two people
-- may share a name) and per programa, in one pass with GROUPING SETS. Months: the latest
-- :limit; the other groups: the :limit with most solicitudes.
SELECT dim, clave, codigo, nombre, total, aprobadas, rechazadas, abiertas, aprendices, horas
  FROM (
    SELECT CASE WHEN GROUPING(g.mes) = 0 THEN 'mes'
                WHEN GROUPING(c."id") = 0 THEN 'centro'
                WHEN GROUPING(u."id") = 0 THEN 'instructor'
                ELSE 'programa' END AS dim,
           coalesce(g.mes, c."id", u."id", p."id") AS clave,
           coalesce(g.mes, c."codigo", u."email", p."codigo") AS codigo,
           coalesce(g.mes, c."nombre", u."name", p."nombre") AS nombre,
           count(*) AS total,
           count(*) FILTER (WHERE s."estado" = 'APROBADA') AS aprobadas,
           count(*) FILTER (WHERE s."estado" = 'RECHAZADA') AS rechazadas,
           count(*) FILTER (WHERE s."estado" IN ('PENDIENTE', 'EN_REVISION')) AS abiertas,
           coalesce(sum(s."numeroAprendicesInscribir")
                        FILTER (WHERE s."estado" = 'APROBADA'), 0) AS aprendices,
           coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = 'APROBADA'), 0)
               AS horas,
           row_number() OVER (
               PARTITION BY GROUPING(g.mes), GROUPING(c."id"), GROUPING(u."id")
               ORDER BY CASE WHEN GROUPING(g.mes) = 0 THEN g.mes END DESC,
                        count(*) DESC, coalesce(c."codigo", u."name", p."codigo"),
                        coalesce(c."id", u."id", p."id")) AS puesto
      FROM public.solicitudes s
      JOIN public.programas p ON p."id" = s."programaId"
      JOIN public.centros c ON c."id" = p."centroId"
      JOIN public.users u ON u."id" = s."instructorId"
     CROSS JOIN LATERAL (SELECT to_char((s."fechaSolicitud" AT TIME ZONE 'UTC')
                                        AT TIME ZONE 'America/Bogota', 'YYYY-MM') AS mes) g
     WHERE s."estado" <> 'BORRADOR'
       AND s."fechaSolicitud" >= :desde AND s."fechaSolicitud" < :hasta
       AND CASE :role
             WHEN 'COORDINADOR' THEN p."centroId" = :centro_id
             WHEN 'ADMIN' THEN :centro_filter::text IS NULL OR p."centroId" = :centro_filter
             ELSE false
           END
     GROUP BY GROUPING SETS ((g.mes), (c."id", c."codigo", c."nombre"),
                             (u."id", u."email", u."name"), (p."id", p."codigo", p."nombre"))
  ) x
 WHERE puesto <= :limit
 ORDER BY dim, CASE WHEN dim = 'mes' THEN clave END, total DESC, puesto;
