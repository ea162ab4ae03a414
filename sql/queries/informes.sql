-- The reports screen: aggregates over a range of fechaSolicitud [desde, hasta) (naive UTC, as
-- Prisma stores it; the caller converts Bogotá dates) in the actor's scope (coordinators: the
-- programas of their centro; admins: every centro, or the one they filter by). Drafts are
-- private to their author and never counted.

-- name: informe_resumen
-- Counts per estado, approval figures and response time over the range in three kinds of
-- rows: dim 'total' (the whole range), 'mes' (each Bogotá month of the range, oldest first)
-- and 'centro' (the :limit centros with most solicitudes, ties included, named, in the order
-- shown), all from the summaries (:centro is the scope, NULL: all): :meses are the first days
-- of the months, [:desdes, :hastas) the days of the range in each; a whole month (:enteros)
-- reads its rows of complementarias.resumen_solicitudes (one per centro), the others their
-- days' rows of complementarias.resumen_diario (one per day and centro).
WITH k AS (
    SELECT * FROM unnest(:meses::date[], :desdes::date[], :hastas::date[],
                         :enteros::boolean[]) k(mes, a, b, entero)),
x AS (
    SELECT k.mes, r.centro_id, r.pendiente, r.en_revision, r.aprobada, r.rechazada,
           r.cancelada, r.aprendices, r.horas, r.resp_n, r.resp_dias
      FROM k JOIN complementarias.resumen_solicitudes r ON r.mes = k.mes
     WHERE k.entero AND (:centro::text IS NULL OR r.centro_id = :centro)
    UNION ALL
    SELECT k.mes, d.centro_id, d.pendiente, d.en_revision, d.aprobada, d.rechazada,
           d.cancelada, d.aprendices, d.horas, d.resp_n, d.resp_dias
      FROM k JOIN complementarias.resumen_diario d ON d.dia >= k.a AND d.dia < k.b
     WHERE NOT k.entero AND (:centro::text IS NULL OR d.centro_id = :centro)),
g AS (
    SELECT CASE WHEN GROUPING(x.mes) = 0 THEN 'mes'
                WHEN GROUPING(x.centro_id) = 0 THEN 'centro' ELSE 'total' END AS dim,
           coalesce(to_char(x.mes, 'YYYY-MM'), x.centro_id, '') AS clave,
           coalesce(sum(x.pendiente), 0) AS pendiente,
           coalesce(sum(x.en_revision), 0) AS en_revision,
           coalesce(sum(x.aprobada), 0) AS aprobada, coalesce(sum(x.rechazada), 0) AS rechazada,
           coalesce(sum(x.cancelada), 0) AS cancelada,
           coalesce(sum(x.aprendices), 0) AS aprendices, coalesce(sum(x.horas), 0) AS horas,
           sum(x.resp_dias) / nullif(sum(x.resp_n), 0) AS respuesta_dias,
           coalesce(sum(x.pendiente + x.en_revision + x.aprobada + x.rechazada + x.cancelada),
                    0) AS total
      FROM x
     GROUP BY GROUPING SETS ((x.mes), (x.centro_id), ())),
centros AS (
    SELECT t.*, c."codigo", c."nombre"
      FROM (SELECT g.*, rank() OVER (ORDER BY g.total DESC) AS r
              FROM g WHERE g.dim = 'centro' AND g.total > 0) t
      LEFT JOIN public.centros c ON c."id" = t.clave
     WHERE t.r <= :limit)
SELECT dim, clave, codigo, nombre, pendiente, en_revision, aprobada, rechazada, cancelada,
       aprendices, horas, respuesta_dias
  FROM (SELECT g.*, g.clave AS codigo, g.clave AS nombre, 0 AS puesto
          FROM g WHERE g.dim <> 'centro'
        UNION ALL
        SELECT * FROM (
            SELECT c.dim, c.clave, c.pendiente, c.en_revision, c.aprobada, c.rechazada,
                   c.cancelada, c.aprendices, c.horas, c.respuesta_dias, c.total,
                   coalesce(c.codigo, c.clave), coalesce(c.nombre, c.clave),
                   row_number() OVER (ORDER BY c.total DESC, c.codigo, c.clave) AS puesto
              FROM centros c) c
         WHERE c.puesto <= :limit) y
 ORDER BY dim, puesto, clave;

-- name: informe_grupos
-- The same figures per instructor (by id: two people may share a name) and per programa, in
-- one pass with GROUPING SETS over ids (months and centros are informe_resumen's): the
-- :limit with most solicitudes of each, ties included, whose names are then looked up (one
-- primary-key read each) to break the ties. LEFT JOIN: for every centro the planner drops the
-- unused join.
WITH f AS (
    SELECT s."instructorId" AS instructor_id, s."programaId" AS programa_id, s."estado",
           s."numeroAprendicesInscribir" AS aprendices, s."duracionMaxima" AS horas
      FROM public.solicitudes s
      LEFT JOIN public.programas p ON p."id" = s."programaId"
     WHERE s."estado" <> :borrador
       AND s."fechaSolicitud" >= :desde AND s."fechaSolicitud" < :hasta
       AND complementarias.en_alcance(:role, NULL, :centro_id, :centro_filter,
                                      s."instructorId", s."estado" = :borrador, p."centroId")),
g AS (
    SELECT CASE WHEN GROUPING(f.instructor_id) = 0 THEN 'instructor' ELSE 'programa' END
               AS dim,
           coalesce(f.instructor_id, f.programa_id) AS clave,
           count(*) AS total,
           count(*) FILTER (WHERE f."estado" = :aprobada) AS aprobadas,
           count(*) FILTER (WHERE f."estado" = :rechazada) AS rechazadas,
           count(*) FILTER (WHERE f."estado" = ANY(:abiertas::"public"."EstadoSolicitud"[]))
               AS abiertas,
           coalesce(sum(f.aprendices) FILTER (WHERE f."estado" = :aprobada), 0) AS aprendices,
           coalesce(sum(f.horas) FILTER (WHERE f."estado" = :aprobada), 0) AS horas
      FROM f
     GROUP BY GROUPING SETS ((f.instructor_id), (f.programa_id))),
top AS (
    SELECT * FROM (SELECT g.*, rank() OVER (PARTITION BY g.dim ORDER BY g.total DESC) AS r
                     FROM g) t
     WHERE t.r <= :limit),
named AS (
    SELECT t.*, coalesce(n.codigo, t.clave) AS codigo, coalesce(n.nombre, t.clave) AS nombre,
           n.orden
      FROM top t
      LEFT JOIN LATERAL (
           SELECT u."email" AS codigo, u."name" AS nombre, u."name" AS orden
             FROM public.users u
            WHERE t.dim = 'instructor' AND u."id" = t.clave
           UNION ALL
           SELECT p."codigo", p."nombre", p."codigo" FROM public.programas p
            WHERE t.dim = 'programa' AND p."id" = t.clave) n ON true)
SELECT dim, clave, codigo, nombre, total, aprobadas, rechazadas, abiertas, aprendices, horas
  FROM (SELECT n.*, row_number() OVER (
                   PARTITION BY n.dim ORDER BY n.total DESC, n.orden, n.clave) AS puesto
          FROM named n) x
 WHERE puesto <= :limit
 ORDER BY dim, total DESC, puesto;

-- The same figures from the summaries (complementarias.resumen_solicitudes per centro, estado
-- and Bogotá month; complementarias.resumen_anual per programa and instructor and year) when
-- the range holds the same solicitudes as whole months and whole years: reads a few thousand
-- summary rows instead of every solicitud of the range. :centro is the scope (NULL: all).

-- name: informe_sin_bordes$
-- True when no solicitud was sent in [:a1, :b1) nor in [:a2, :b2) (cx_solicitudes_informe_idx):
-- the parts of the first and last month (or year) outside the range are empty.
SELECT NOT EXISTS (SELECT 1 FROM public.solicitudes s
                    WHERE s."fechaSolicitud" >= :a1 AND s."fechaSolicitud" < :b1)
   AND NOT EXISTS (SELECT 1 FROM public.solicitudes s
                    WHERE s."fechaSolicitud" >= :a2 AND s."fechaSolicitud" < :b2);

-- name: informe_resumen_mensual^
-- informe_resumen's counts and sums over the months [:mes_desde, :mes_hasta) of the summary.
SELECT coalesce(sum(r.pendiente), 0) AS pendiente,
       coalesce(sum(r.en_revision), 0) AS en_revision,
       coalesce(sum(r.aprobada), 0) AS aprobada,
       coalesce(sum(r.rechazada), 0) AS rechazada,
       coalesce(sum(r.cancelada), 0) AS cancelada,
       sum(r.resp_dias) / nullif(sum(r.resp_n), 0) AS respuesta_dias,
       coalesce(sum(r.aprendices), 0) AS aprendices, coalesce(sum(r.horas), 0) AS horas
  FROM complementarias.resumen_solicitudes r
 WHERE r.mes >= :mes_desde AND r.mes < :mes_hasta
   AND (:centro::text IS NULL OR r.centro_id = :centro);

-- name: informe_antiguedad^
-- How long the open solicitudes (PENDIENTE, EN_REVISION) of the range have waited at :now:
-- those sent in the last 31 days are read from a range of cx_solicitudes_cola_idx (only open
-- rows are in it); the older ones are the rest of the range's open total (the caller's, from
-- informe_resumen or the summary), so a whole year's open rows are not read one by one.
-- LEFT JOIN: for every centro (:centro NULL) the planner drops the unused join; for one
-- centro the condition makes it an inner join again (cx_solicitudes_programa_tablero_idx).
SELECT count(*) FILTER (WHERE espera < interval '3 days') AS d0_2,
       count(*) FILTER (WHERE espera >= interval '3 days' AND espera < interval '8 days') AS d3_7,
       count(*) FILTER (WHERE espera >= interval '8 days' AND espera < interval '15 days')
           AS d8_14,
       count(*) FILTER (WHERE espera >= interval '15 days' AND espera < interval '31 days')
           AS d15_30
  FROM public.solicitudes s
  LEFT JOIN public.programas p ON p."id" = s."programaId"
 CROSS JOIN LATERAL (SELECT :now - s."fechaSolicitud" AS espera) w
 WHERE s."estado" = ANY(:abiertas::"public"."EstadoSolicitud"[])
   AND s."fechaSolicitud" >= :desde AND s."fechaSolicitud" < :hasta
   AND s."fechaSolicitud" > :now - interval '31 days'
   AND (:centro::text IS NULL OR p."centroId" = :centro);

-- name: informe_grupos_resumen
-- informe_grupos from the summaries: months and centros over [:mes_desde, :mes_hasta),
-- programas and instructors over the years [:anio_desde, :anio_hasta]. One year over every
-- centro: the top programas and instructors are the head of resumen_nacional_top_idx (total
-- at least the :limit-th best one's: rank() <= :limit, ties included); otherwise the yearly
-- rows of the scope are added up and ranked.
WITH mensual AS (
    SELECT r.mes, r.centro_id,
           r.pendiente + r.en_revision + r.aprobada + r.rechazada + r.cancelada AS total,
           r.aprobada AS aprobadas, r.rechazada AS rechazadas,
           r.pendiente + r.en_revision AS abiertas, r.aprendices, r.horas
      FROM complementarias.resumen_solicitudes r
     WHERE r.mes >= :mes_desde AND r.mes < :mes_hasta
       AND (:centro::text IS NULL OR r.centro_id = :centro)),
anual AS (
    SELECT a.dim, a.clave, sum(a.total) AS total, sum(a.aprobadas) AS aprobadas,
           sum(a.rechazadas) AS rechazadas, sum(a.abiertas) AS abiertas,
           sum(a.aprendices) AS aprendices, sum(a.horas) AS horas
      FROM complementarias.resumen_anual a
     WHERE a.anio >= :anio_desde AND a.anio <= :anio_hasta
       AND (:centro::text IS NULL OR a.centro_id = :centro)
       AND NOT (:centro::text IS NULL AND :anio_desde = :anio_hasta)
     GROUP BY a.dim, a.clave
    HAVING sum(a.total) > 0),
anual_top AS (  -- the first :limit by total, ties included, before names are looked up
    SELECT t.dim, t.clave, t.total, t.aprobadas, t.rechazadas, t.abiertas, t.aprendices,
           t.horas
      FROM (SELECT a.*, rank() OVER (PARTITION BY a.dim ORDER BY a.total DESC) AS r
              FROM anual a) t
     WHERE t.r <= :limit
    UNION ALL
    SELECT n.dim, n.clave, n.total, n.aprobadas, n.rechazadas, n.abiertas, n.aprendices,
           n.horas
      FROM (VALUES ('instructor'), ('programa')) d(dim)
     CROSS JOIN LATERAL (
           SELECT x.* FROM complementarias.resumen_nacional x
            WHERE x.anio = :anio_desde AND x.dim = d.dim
              AND x.total >= coalesce((SELECT y.total FROM complementarias.resumen_nacional y
                                        WHERE y.anio = :anio_desde AND y.dim = d.dim
                                          AND y.total > 0
                                        ORDER BY y.total DESC
                                       OFFSET :limit - 1 LIMIT 1), 1)) n
     WHERE :centro::text IS NULL AND :anio_desde = :anio_hasta),
grupos AS (
    SELECT 'mes' AS dim, to_char(m.mes, 'YYYY-MM') AS clave, to_char(m.mes, 'YYYY-MM') AS codigo,
           to_char(m.mes, 'YYYY-MM') AS nombre, sum(m.total) AS total,
           sum(m.aprobadas) AS aprobadas, sum(m.rechazadas) AS rechazadas,
           sum(m.abiertas) AS abiertas, sum(m.aprendices) AS aprendices, sum(m.horas) AS horas
      FROM mensual m GROUP BY m.mes HAVING sum(m.total) > 0
    UNION ALL
    SELECT 'centro', c."id", c."codigo", c."nombre", sum(m.total), sum(m.aprobadas),
           sum(m.rechazadas), sum(m.abiertas), sum(m.aprendices), sum(m.horas)
      FROM mensual m JOIN public.centros c ON c."id" = m.centro_id
     GROUP BY c."id", c."codigo", c."nombre" HAVING sum(m.total) > 0
    UNION ALL
    SELECT 'instructor', u."id", u."email", u."name", a.total, a.aprobadas, a.rechazadas,
           a.abiertas, a.aprendices, a.horas
      FROM anual_top a JOIN public.users u ON u."id" = a.clave
     WHERE a.dim = 'instructor'
    UNION ALL
    SELECT 'programa', p."id", p."codigo", p."nombre", a.total, a.aprobadas, a.rechazadas,
           a.abiertas, a.aprendices, a.horas
      FROM anual_top a JOIN public.programas p ON p."id" = a.clave
     WHERE a.dim = 'programa')
SELECT dim, clave, codigo, nombre, total, aprobadas, rechazadas, abiertas, aprendices, horas
  FROM (SELECT g.*, row_number() OVER (
                   PARTITION BY g.dim
                   ORDER BY CASE WHEN g.dim = 'mes' THEN g.clave END DESC, g.total DESC,
                            CASE WHEN g.dim = 'instructor' THEN g.nombre ELSE g.codigo END,
                            g.clave) AS puesto
          FROM grupos g) x
 WHERE puesto <= :limit
 ORDER BY dim, CASE WHEN dim = 'mes' THEN clave END, total DESC, puesto;
