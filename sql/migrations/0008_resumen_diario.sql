-- A summary of the sent solicitudes per Bogotá day of fechaSolicitud and centro, kept by the
-- same cx_solicitudes_resumen_* triggers as 0004 and 0006 (one resumen_apply() per statement,
-- deltas summed per key, upserts in key order, never raising, marked stale on failure,
-- rebuilt by post-apply.sql when stale), so that the informe of a free range of days reads a
-- few rows per centro and day for the parts of its first and last month that are not whole
-- (whole months read resumen_solicitudes) instead of aggregating those months' solicitudes.
-- Drafts are never reported, so they are left out.
-- Schema complementarias; every name qualified (see 0004).
-- depends: 0007_rare_search

CREATE TABLE complementarias.resumen_diario (
    dia         DATE NOT NULL,  -- Bogotá date of fechaSolicitud; 0001-01-01 when it is NULL
    centro_id   TEXT NOT NULL,
    pendiente   INTEGER NOT NULL DEFAULT 0,
    en_revision INTEGER NOT NULL DEFAULT 0,
    aprobada    INTEGER NOT NULL DEFAULT 0,
    rechazada   INTEGER NOT NULL DEFAULT 0,
    cancelada   INTEGER NOT NULL DEFAULT 0,
    aprendices  INTEGER NOT NULL DEFAULT 0,  -- numeroAprendicesInscribir of the APROBADA
    horas       INTEGER NOT NULL DEFAULT 0,  -- duracionMaxima of the APROBADA
    resp_n      INTEGER NOT NULL DEFAULT 0,  -- those with a first answer (review/approval)
    resp_dias   DOUBLE PRECISION NOT NULL DEFAULT 0,  -- sum of their days to that answer
    PRIMARY KEY (dia, centro_id)  -- a range of days over every centro, or of one centro
) WITH (fillfactor = 70);  -- room for HOT updates: every write updates a row in place

CREATE FUNCTION complementarias.resumen_dia(fecha timestamp) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(((fecha AT TIME ZONE 'UTC') AT TIME ZONE 'America/Bogota')::date,
                    DATE '0001-01-01');

CREATE FUNCTION complementarias.resumen_apply_diario(filas complementarias.resumen_fila[])
    RETURNS void LANGUAGE sql AS $$
    WITH f AS (
        SELECT coalesce(p."centroId", '') AS centro_id, f.*,
               complementarias.resumen_dia(f.fecha_solicitud) AS dia,
               f.s * (f.estado = 'APROBADA')::int AS s_aprobada,
               date_part('epoch', coalesce(f.fecha_revision, f.fecha_aprobacion)
                                  - f.fecha_solicitud) / 86400.0 AS dias
          FROM unnest(filas) f
          LEFT JOIN public.programas p ON p."id" = f.programa_id
         WHERE f.estado <> 'BORRADOR'),
    d AS (
        SELECT dia, centro_id,
               coalesce(sum(s) FILTER (WHERE estado = 'PENDIENTE'), 0) AS pendiente,
               coalesce(sum(s) FILTER (WHERE estado = 'EN_REVISION'), 0) AS en_revision,
               sum(s_aprobada) AS aprobada,
               coalesce(sum(s) FILTER (WHERE estado = 'RECHAZADA'), 0) AS rechazada,
               coalesce(sum(s) FILTER (WHERE estado = 'CANCELADA'), 0) AS cancelada,
               sum(s_aprobada * coalesce(aprendices, 0)) AS aprendices,
               sum(s_aprobada * coalesce(horas, 0)) AS horas,
               coalesce(sum(s) FILTER (WHERE dias IS NOT NULL), 0) AS resp_n,
               coalesce(sum(s * dias), 0) AS resp_dias
          FROM f GROUP BY dia, centro_id)
    INSERT INTO complementarias.resumen_diario AS r
           (dia, centro_id, pendiente, en_revision, aprobada, rechazada, cancelada, aprendices,
            horas, resp_n, resp_dias)
    SELECT * FROM d
     WHERE pendiente <> 0 OR en_revision <> 0 OR aprobada <> 0 OR rechazada <> 0
        OR cancelada <> 0 OR aprendices <> 0 OR horas <> 0 OR resp_n <> 0 OR resp_dias <> 0
     ORDER BY dia, centro_id
    ON CONFLICT (dia, centro_id) DO UPDATE
       SET pendiente = r.pendiente + excluded.pendiente,
           en_revision = r.en_revision + excluded.en_revision,
           aprobada = r.aprobada + excluded.aprobada,
           rechazada = r.rechazada + excluded.rechazada,
           cancelada = r.cancelada + excluded.cancelada,
           aprendices = r.aprendices + excluded.aprendices,
           horas = r.horas + excluded.horas, resp_n = r.resp_n + excluded.resp_n,
           resp_dias = r.resp_dias + excluded.resp_dias
$$;

-- The daily summary from public.solicitudes in one pass (set-based: no upsert per row).
CREATE FUNCTION complementarias.resumen_diario_rebuild() RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM complementarias.resumen_diario;
    INSERT INTO complementarias.resumen_diario
           (dia, centro_id, pendiente, en_revision, aprobada, rechazada, cancelada, aprendices,
            horas, resp_n, resp_dias)
    SELECT complementarias.resumen_dia(s."fechaSolicitud"), coalesce(p."centroId", ''),
           count(*) FILTER (WHERE s."estado" = 'PENDIENTE'),
           count(*) FILTER (WHERE s."estado" = 'EN_REVISION'),
           count(*) FILTER (WHERE s."estado" = 'APROBADA'),
           count(*) FILTER (WHERE s."estado" = 'RECHAZADA'),
           count(*) FILTER (WHERE s."estado" = 'CANCELADA'),
           coalesce(sum(s."numeroAprendicesInscribir") FILTER (WHERE s."estado" = 'APROBADA'), 0),
           coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = 'APROBADA'), 0),
           count(coalesce(s."fechaRevision", s."fechaAprobacion")),
           coalesce(sum(date_part('epoch', coalesce(s."fechaRevision", s."fechaAprobacion")
                                           - s."fechaSolicitud") / 86400.0), 0)
      FROM public.solicitudes s
      LEFT JOIN public.programas p ON p."id" = s."programaId"
     WHERE s."estado" <> 'BORRADOR'
     GROUP BY 1, 2;
$$;

-- What the triggers call: 0006's summaries, then the daily one (the tables always in this
-- order, each one's keys in key order: two writers never wait for each other in a cycle).
CREATE OR REPLACE FUNCTION complementarias.resumen_apply(filas complementarias.resumen_fila[])
    RETURNS void LANGUAGE sql AS $$
    SELECT complementarias.resumen_apply_centros(filas);
    SELECT complementarias.resumen_apply_nacional(filas);
    SELECT complementarias.resumen_apply_diario(filas);
$$;

-- 0006's rebuild, and the daily summary's.
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
    SELECT complementarias.resumen_diario_rebuild();
    UPDATE complementarias.resumen_estado SET stale = false, rebuilt_at = now(), last_error = NULL;
$$;

-- 0006's checks, and: the daily counts per centro and estado add up to the base table's sent
-- ones (e.g. the table just created, empty, with solicitudes already there).
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
    diario AS (
        SELECT d.centro_id, e.estado, sum(e.n) AS n
          FROM complementarias.resumen_diario d
         CROSS JOIN LATERAL (VALUES ('PENDIENTE', d.pendiente), ('EN_REVISION', d.en_revision),
                                    ('APROBADA', d.aprobada), ('RECHAZADA', d.rechazada),
                                    ('CANCELADA', d.cancelada)) e(estado, n)
         GROUP BY 1, 2 HAVING sum(e.n) <> 0),
    enviadas_base AS (SELECT * FROM base WHERE estado <> 'BORRADOR'),
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
        OR EXISTS (SELECT * FROM enviadas_base EXCEPT SELECT * FROM diario)
        OR EXISTS (SELECT * FROM diario EXCEPT SELECT * FROM enviadas_base)
$$;
-- Filled now (writers wait), so that post-apply's check finds nothing to rebuild.
LOCK TABLE public.solicitudes IN SHARE MODE;
SELECT complementarias.resumen_diario_rebuild();
