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

-- 0004's resumen_apply() keeps the per-centro summaries under a new name; resumen_apply(),
-- which the triggers call, now also adds the deltas of the two new summaries (these need no
-- centro, so no programa is looked up for them).
ALTER FUNCTION complementarias.resumen_apply(complementarias.resumen_fila[])
    RENAME TO resumen_apply_centros;

CREATE FUNCTION complementarias.resumen_apply_nacional(filas complementarias.resumen_fila[])
    RETURNS void LANGUAGE sql AS $$
    WITH f AS (
        SELECT f.*, extract(year FROM complementarias.resumen_mes(f.fecha_solicitud))::int
                        AS anio,
               f.s * (f.estado = 'APROBADA')::int AS s_aprobada
          FROM unnest(filas) f),
    por_instructor AS (
        INSERT INTO complementarias.resumen_instructor AS r (instructor_id, anio, estado, n)
        SELECT instructor_id, anio, estado, sum(s)
          FROM f
         GROUP BY 1, 2, 3
        HAVING sum(s) <> 0
         ORDER BY 1, 2, 3
        ON CONFLICT (instructor_id, anio, estado) DO UPDATE SET n = r.n + excluded.n),
    a AS (
        SELECT k.dim, k.clave, anio, sum(s) AS total, sum(s_aprobada) AS aprobadas,
               coalesce(sum(s) FILTER (WHERE estado = 'RECHAZADA'), 0) AS rechazadas,
               coalesce(sum(s) FILTER (WHERE estado IN ('PENDIENTE', 'EN_REVISION')), 0)
                   AS abiertas,
               sum(s_aprobada * coalesce(aprendices, 0)) AS aprendices,
               sum(s_aprobada * coalesce(horas, 0)) AS horas
          FROM f CROSS JOIN LATERAL (VALUES ('programa', f.programa_id),
                                            ('instructor', f.instructor_id)) k(dim, clave)
         WHERE estado <> 'BORRADOR'
         GROUP BY 1, 2, 3)
    INSERT INTO complementarias.resumen_nacional AS r
           (dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices, horas)
    SELECT * FROM a
     WHERE total <> 0 OR aprobadas <> 0 OR rechazadas <> 0 OR abiertas <> 0
        OR aprendices <> 0 OR horas <> 0
     ORDER BY dim, clave, anio
    ON CONFLICT (dim, clave, anio) DO UPDATE
       SET total = r.total + excluded.total, aprobadas = r.aprobadas + excluded.aprobadas,
           rechazadas = r.rechazadas + excluded.rechazadas,
           abiertas = r.abiertas + excluded.abiertas,
           aprendices = r.aprendices + excluded.aprendices, horas = r.horas + excluded.horas
$$;

CREATE FUNCTION complementarias.resumen_apply(filas complementarias.resumen_fila[])
    RETURNS void LANGUAGE sql AS $$
    SELECT complementarias.resumen_apply_centros(filas);
    SELECT complementarias.resumen_apply_nacional(filas);
$$;

-- Every summary rebuilt: the per-centro ones as in 0004, one centro's solicitudes at a time;
-- then the national totals from resumen_anual and the instructors' counts in one pass each
-- (set-based: no upsert per row).
CREATE OR REPLACE FUNCTION complementarias.resumen_rebuild() RETURNS void
    LANGUAGE sql AS $$
    LOCK TABLE public.solicitudes IN SHARE MODE;  -- writers wait; readers do not
    DELETE FROM complementarias.resumen_solicitudes;
    DELETE FROM complementarias.resumen_anual;
    DELETE FROM complementarias.resumen_instructor;
    DELETE FROM complementarias.resumen_nacional;
    SELECT count(complementarias.resumen_apply_centros(x.filas))
      FROM (SELECT array_agg(ROW(
                       1, s."programaId", s."instructorId", s."estado"::text,
                       s."fechaSolicitud", s."fechaRevision", s."fechaAprobacion",
                       s."numeroAprendicesInscribir", s."duracionMaxima"
                   )::complementarias.resumen_fila) AS filas
              FROM public.solicitudes s
              LEFT JOIN public.programas p ON p."id" = s."programaId"
             GROUP BY p."centroId") x;
    INSERT INTO complementarias.resumen_nacional
           (dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices, horas)
    SELECT dim, clave, anio, sum(total), sum(aprobadas), sum(rechazadas), sum(abiertas),
           sum(aprendices), sum(horas)
      FROM complementarias.resumen_anual
     GROUP BY 1, 2, 3
    HAVING sum(total) <> 0 OR sum(aprobadas) <> 0 OR sum(rechazadas) <> 0
        OR sum(abiertas) <> 0 OR sum(aprendices) <> 0 OR sum(horas) <> 0;
    INSERT INTO complementarias.resumen_instructor (instructor_id, anio, estado, n)
    SELECT s."instructorId",
           extract(year FROM complementarias.resumen_mes(s."fechaSolicitud"))::int,
           s."estado"::text, count(*)
      FROM public.solicitudes s
     GROUP BY 1, 2, 3;
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
