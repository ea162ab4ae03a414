-- Two more summaries kept by the same cx_solicitudes_resumen_* triggers as 0004 (one
-- resumen_apply() per statement, deltas summed per key, upserts in key order, never raising,
-- marked stale on failure, rebuilt by post-apply.sql when stale):
-- * resumen_instructor: an instructor's solicitudes per estado (drafts included: they are
--   theirs) and Bogotá year of fechaSolicitud, so that their counts per estado, the year
--   filter and the list's total read a few dozen rows instead of their ~3 000 solicitudes
--   spread over as many heap pages;
-- * resumen_nacional: resumen_anual summed over every centro (per programa or instructor and
--   year), indexed by year and total, so that the informe of a whole year over every centro
--   reads its top instructors and programas from the head of an index instead of adding up
--   and ranking every resumen_anual row of the year.
-- Schema complementarias; every name qualified (see 0004).
-- depends: 0005_scope_search_predicates

CREATE TABLE complementarias.resumen_instructor (
    instructor_id TEXT NOT NULL,
    anio          INTEGER NOT NULL,  -- Bogotá year of fechaSolicitud; 1 when it is NULL
    estado        TEXT NOT NULL,
    n             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (instructor_id, anio, estado)
) WITH (fillfactor = 70);  -- room for HOT updates: n is not indexed

CREATE TABLE complementarias.resumen_nacional (
    dim        TEXT NOT NULL CHECK (dim IN ('programa', 'instructor')),
    clave      TEXT NOT NULL,  -- programaId or instructorId
    anio       INTEGER NOT NULL,  -- 1 when fechaSolicitud is NULL
    total      INTEGER NOT NULL DEFAULT 0,
    aprobadas  INTEGER NOT NULL DEFAULT 0,
    rechazadas INTEGER NOT NULL DEFAULT 0,
    abiertas   INTEGER NOT NULL DEFAULT 0,  -- PENDIENTE and EN_REVISION
    aprendices INTEGER NOT NULL DEFAULT 0,  -- of the APROBADA
    horas      INTEGER NOT NULL DEFAULT 0,  -- of the APROBADA
    PRIMARY KEY (dim, clave, anio)
);
-- A year's best first (the informe's top tables: the head of one range per dim).
CREATE INDEX resumen_nacional_top_idx ON complementarias.resumen_nacional
    (anio, dim, total DESC);

-- 0004's function with the two new summaries: the yearly deltas are grouped once per
-- (centro, dim, clave, year) for resumen_anual and once per (dim, clave, year) for
-- resumen_nacional (GROUPING SETS), and per (instructor, year, estado) for resumen_instructor.
CREATE OR REPLACE FUNCTION complementarias.resumen_apply(filas complementarias.resumen_fila[])
    RETURNS void LANGUAGE sql AS $$
    WITH f AS (
        SELECT coalesce(p."centroId", '') AS centro_id, f.*,
               complementarias.resumen_mes(f.fecha_solicitud) AS mes,
               f.s * (f.estado = 'APROBADA')::int AS s_aprobada,
               CASE WHEN f.estado <> 'BORRADOR' THEN
                    date_part('epoch', coalesce(f.fecha_revision, f.fecha_aprobacion)
                                       - f.fecha_solicitud) / 86400.0 END AS dias
          FROM unnest(filas) f
          LEFT JOIN public.programas p ON p."id" = f.programa_id),
    d AS (
        SELECT centro_id, mes,
               sum(s) FILTER (WHERE estado = 'BORRADOR') AS borrador,
               sum(s) FILTER (WHERE estado = 'PENDIENTE') AS pendiente,
               sum(s) FILTER (WHERE estado = 'EN_REVISION') AS en_revision,
               sum(s_aprobada) AS aprobada,
               sum(s) FILTER (WHERE estado = 'RECHAZADA') AS rechazada,
               sum(s) FILTER (WHERE estado = 'CANCELADA') AS cancelada,
               sum(s_aprobada * coalesce(aprendices, 0)) AS aprendices,
               sum(s_aprobada * coalesce(horas, 0)) AS horas,
               sum(s) FILTER (WHERE dias IS NOT NULL) AS resp_n, sum(s * dias) AS resp_dias
          FROM f GROUP BY centro_id, mes),
    mensual AS (
        INSERT INTO complementarias.resumen_solicitudes AS r
               (centro_id, mes, borrador, pendiente, en_revision, aprobada, rechazada,
                cancelada, aprendices, horas, resp_n, resp_dias)
        SELECT centro_id, mes, coalesce(borrador, 0), coalesce(pendiente, 0),
               coalesce(en_revision, 0), aprobada, coalesce(rechazada, 0),
               coalesce(cancelada, 0), aprendices, horas, coalesce(resp_n, 0),
               coalesce(resp_dias, 0)
          FROM d
         WHERE borrador <> 0 OR pendiente <> 0 OR en_revision <> 0 OR aprobada <> 0
            OR rechazada <> 0 OR cancelada <> 0 OR aprendices <> 0 OR horas <> 0
            OR resp_n <> 0 OR resp_dias <> 0
         ORDER BY centro_id, mes
        ON CONFLICT (centro_id, mes) DO UPDATE
           SET borrador = r.borrador + excluded.borrador,
               pendiente = r.pendiente + excluded.pendiente,
               en_revision = r.en_revision + excluded.en_revision,
               aprobada = r.aprobada + excluded.aprobada,
               rechazada = r.rechazada + excluded.rechazada,
               cancelada = r.cancelada + excluded.cancelada,
               aprendices = r.aprendices + excluded.aprendices,
               horas = r.horas + excluded.horas, resp_n = r.resp_n + excluded.resp_n,
               resp_dias = r.resp_dias + excluded.resp_dias),
    por_instructor AS (
        INSERT INTO complementarias.resumen_instructor AS r (instructor_id, anio, estado, n)
        SELECT instructor_id, extract(year FROM mes)::int, estado, sum(s)
          FROM f
         GROUP BY 1, 2, 3
        HAVING sum(s) <> 0
         ORDER BY 1, 2, 3
        ON CONFLICT (instructor_id, anio, estado) DO UPDATE SET n = r.n + excluded.n),
    a AS (
        SELECT GROUPING(centro_id) = 1 AS nacional, centro_id, k.dim, k.clave,
               extract(year FROM mes)::int AS anio,
               sum(s) AS total, sum(s_aprobada) AS aprobadas,
               coalesce(sum(s) FILTER (WHERE estado = 'RECHAZADA'), 0) AS rechazadas,
               coalesce(sum(s) FILTER (WHERE estado IN ('PENDIENTE', 'EN_REVISION')), 0)
                   AS abiertas,
               sum(s_aprobada * coalesce(aprendices, 0)) AS aprendices,
               sum(s_aprobada * coalesce(horas, 0)) AS horas
          FROM f CROSS JOIN LATERAL (VALUES ('programa', f.programa_id),
                                            ('instructor', f.instructor_id)) k(dim, clave)
         WHERE estado <> 'BORRADOR'
         GROUP BY GROUPING SETS ((centro_id, k.dim, k.clave, extract(year FROM mes)::int),
                                 (k.dim, k.clave, extract(year FROM mes)::int))),
    cambios AS (
        SELECT * FROM a
         WHERE total <> 0 OR aprobadas <> 0 OR rechazadas <> 0 OR abiertas <> 0
            OR aprendices <> 0 OR horas <> 0),
    nacional AS (
        INSERT INTO complementarias.resumen_nacional AS r
               (dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices, horas)
        SELECT dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices, horas
          FROM cambios WHERE nacional
         ORDER BY dim, clave, anio
        ON CONFLICT (dim, clave, anio) DO UPDATE
           SET total = r.total + excluded.total, aprobadas = r.aprobadas + excluded.aprobadas,
               rechazadas = r.rechazadas + excluded.rechazadas,
               abiertas = r.abiertas + excluded.abiertas,
               aprendices = r.aprendices + excluded.aprendices,
               horas = r.horas + excluded.horas)
    INSERT INTO complementarias.resumen_anual AS r
           (centro_id, dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices,
            horas)
    SELECT centro_id, dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices,
           horas
      FROM cambios WHERE NOT nacional
     ORDER BY centro_id, dim, clave, anio
    ON CONFLICT (centro_id, dim, clave, anio) DO UPDATE
       SET total = r.total + excluded.total, aprobadas = r.aprobadas + excluded.aprobadas,
           rechazadas = r.rechazadas + excluded.rechazadas,
           abiertas = r.abiertas + excluded.abiertas,
           aprendices = r.aprendices + excluded.aprendices, horas = r.horas + excluded.horas
$$;

-- Every summary rebuilt (0004's rebuild, the two new tables emptied first).
CREATE OR REPLACE FUNCTION complementarias.resumen_rebuild() RETURNS void
    LANGUAGE sql AS $$
    LOCK TABLE public.solicitudes IN SHARE MODE;  -- writers wait; readers do not
    DELETE FROM complementarias.resumen_solicitudes;
    DELETE FROM complementarias.resumen_anual;
    DELETE FROM complementarias.resumen_instructor;
    DELETE FROM complementarias.resumen_nacional;
    SELECT count(complementarias.resumen_apply(x.filas))
      FROM (SELECT array_agg(ROW(
                       1, s."programaId", s."instructorId", s."estado"::text,
                       s."fechaSolicitud", s."fechaRevision", s."fechaAprobacion",
                       s."numeroAprendicesInscribir", s."duracionMaxima"
                   )::complementarias.resumen_fila) AS filas
              FROM public.solicitudes s
              LEFT JOIN public.programas p ON p."id" = s."programaId"
             GROUP BY p."centroId") x;
    UPDATE complementarias.resumen_estado SET stale = false, rebuilt_at = now(), last_error = NULL;
$$;

-- 0004's checks, and: the instructors' counts per estado add up to the base table's, the
-- national yearly totals to the sent solicitudes (e.g. the two tables just created, empty).
CREATE OR REPLACE FUNCTION complementarias.resumen_stale() RETURNS boolean
    LANGUAGE sql AS $$
    WITH base AS (
        SELECT coalesce(p."centroId", '') AS centro_id, s."estado"::text AS estado,
               count(*) AS n
          FROM public.solicitudes s
          LEFT JOIN public.programas p ON p."id" = s."programaId"
         GROUP BY 1, 2),
    resumen AS (SELECT * FROM complementarias.resumen_conteos()),
    anual AS (
        SELECT dim, centro_id, sum(total) AS total FROM complementarias.resumen_anual
         GROUP BY 1, 2 HAVING sum(total) <> 0),
    enviadas AS (
        SELECT centro_id, sum(n) AS total FROM resumen WHERE estado <> 'BORRADOR' GROUP BY 1),
    por_estado AS (SELECT estado, sum(n) AS n FROM base GROUP BY 1),
    instructores AS (
        SELECT estado, sum(n) AS n FROM complementarias.resumen_instructor
         GROUP BY 1 HAVING sum(n) <> 0),
    nacional AS (
        SELECT dim, sum(total) AS total FROM complementarias.resumen_nacional
         GROUP BY 1 HAVING sum(total) <> 0),
    enviadas_total AS (
        SELECT d.dim, sum(e.total) AS total FROM enviadas e
         CROSS JOIN (VALUES ('programa'), ('instructor')) d(dim)
         GROUP BY 1 HAVING sum(e.total) <> 0)
    SELECT (SELECT stale FROM complementarias.resumen_estado)
        OR (SELECT count(*) FROM pg_trigger
             WHERE tgrelid = '"public"."solicitudes"'::regclass
               AND tgname IN ('cx_solicitudes_resumen_ins', 'cx_solicitudes_resumen_upd',
                              'cx_solicitudes_resumen_del')) < 3
        OR EXISTS (SELECT * FROM base EXCEPT SELECT * FROM resumen)
        OR EXISTS (SELECT * FROM resumen EXCEPT SELECT * FROM base)
        OR EXISTS (SELECT d.dim, e.centro_id, e.total FROM enviadas e
                    CROSS JOIN (VALUES ('programa'), ('instructor')) d(dim)
                   EXCEPT SELECT * FROM anual)
        OR EXISTS (SELECT * FROM anual
                   EXCEPT SELECT d.dim, e.centro_id, e.total FROM enviadas e
                    CROSS JOIN (VALUES ('programa'), ('instructor')) d(dim))
        OR EXISTS (SELECT * FROM por_estado EXCEPT SELECT * FROM instructores)
        OR EXISTS (SELECT * FROM instructores EXCEPT SELECT * FROM por_estado)
        OR EXISTS (SELECT * FROM enviadas_total EXCEPT SELECT * FROM nacional)
        OR EXISTS (SELECT * FROM nacional EXCEPT SELECT * FROM enviadas_total)
$$;
