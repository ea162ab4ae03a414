-- Search and summaries at national scale (SCHEMA.md section 6): accent- and case-folding for
-- trigram search, and the summary of solicitudes per centro, estado and month that dashboards,
-- counts, informes and the year filter read instead of counting a million rows.
-- Schema complementarias (yoyo's search_path); every name is qualified anyway, because
-- post-apply.sql and the synthetic load call these functions with another search_path.
-- The cx_ indexes and triggers that use them are (re)created by post-apply.sql.
-- depends: 0003_access_audit

CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA complementarias;
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA complementarias;

-- The one folding of text for search: no accents, lower case. unaccent() is only STABLE
-- (it reads a dictionary named by search_path); with the dictionary named explicitly the
-- result depends on the text alone, so this wrapper may be IMMUTABLE and indexed. PL/pgSQL
-- rather than SQL: a SQL function that cannot be inlined costs more per call, and a search
-- folds every row it rechecks.
CREATE FUNCTION complementarias.fold(t text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN lower(complementarias.unaccent('complementarias.unaccent'::regdictionary, t));
END
$$;

-- Several fields folded into one searchable text (NULL fields are skipped); a trigram GIN
-- index on it serves a search over all of them at once.
CREATE FUNCTION complementarias.fold_all(VARIADIC parts text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN complementarias.fold(array_to_string(parts, ' | '));
END
$$;

-- Exact counts of solicitudes per centro (of the programa, when written) and Bogotá month of
-- fechaSolicitud (0001-01-01 when it is NULL), one column per estado, with the sums the
-- reports need: ~100 rows per centro, so that a dashboard of every centro reads a few
-- thousand rows. Kept exact by the cx_solicitudes_resumen_* triggers; rebuilt from
-- public.solicitudes by resumen_rebuild() (post-apply.sql does it when resumen_stale()).
CREATE TABLE complementarias.resumen_solicitudes (
    centro_id   TEXT NOT NULL,
    mes         DATE NOT NULL,
    borrador    INTEGER NOT NULL DEFAULT 0,
    pendiente   INTEGER NOT NULL DEFAULT 0,
    en_revision INTEGER NOT NULL DEFAULT 0,
    aprobada    INTEGER NOT NULL DEFAULT 0,
    rechazada   INTEGER NOT NULL DEFAULT 0,
    cancelada   INTEGER NOT NULL DEFAULT 0,
    aprendices  INTEGER NOT NULL DEFAULT 0,  -- numeroAprendicesInscribir of the APROBADA
    horas       INTEGER NOT NULL DEFAULT 0,  -- duracionMaxima of the APROBADA
    resp_n      INTEGER NOT NULL DEFAULT 0,  -- sent ones with a first answer (review/approval)
    resp_dias   DOUBLE PRECISION NOT NULL DEFAULT 0,  -- sum of their days to that answer
    PRIMARY KEY (centro_id, mes)
) WITH (fillfactor = 70);  -- room for HOT updates: every write updates a row in place

-- The same per programa and per instructor and Bogotá year (per month they would be nearly
-- as many rows as solicitudes), drafts left out: the informe's "top" tables for whole years.
CREATE TABLE complementarias.resumen_anual (
    centro_id  TEXT NOT NULL,
    dim        TEXT NOT NULL CHECK (dim IN ('programa', 'instructor')),
    clave      TEXT NOT NULL,  -- programaId or instructorId
    anio       INTEGER NOT NULL,  -- 1 when fechaSolicitud is NULL
    total      INTEGER NOT NULL DEFAULT 0,
    aprobadas  INTEGER NOT NULL DEFAULT 0,
    rechazadas INTEGER NOT NULL DEFAULT 0,
    abiertas   INTEGER NOT NULL DEFAULT 0,  -- PENDIENTE and EN_REVISION
    aprendices INTEGER NOT NULL DEFAULT 0,  -- of the APROBADA
    horas      INTEGER NOT NULL DEFAULT 0,  -- of the APROBADA
    PRIMARY KEY (centro_id, dim, clave, anio)
) WITH (fillfactor = 70);
CREATE INDEX resumen_anual_anio_idx ON complementarias.resumen_anual (anio, dim);

-- One row: set when a trigger could not update the summary (it never makes the write fail).
CREATE TABLE complementarias.resumen_estado (
    id           BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    stale        BOOLEAN NOT NULL DEFAULT true,
    rebuilt_at   TIMESTAMPTZ,
    last_error   TEXT
);
INSERT INTO complementarias.resumen_estado (id) VALUES (true);

CREATE FUNCTION complementarias.resumen_mes(fecha timestamp) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(date_trunc('month', (fecha AT TIME ZONE 'UTC')
                                        AT TIME ZONE 'America/Bogota')::date,
                    DATE '0001-01-01');

-- One changed row as the summary sees it: +1 for a new version, -1 for an old one.
CREATE TYPE complementarias.resumen_fila AS (
    s                INTEGER,
    programa_id      TEXT,
    instructor_id    TEXT,
    estado           TEXT,
    fecha_solicitud  TIMESTAMP(3),
    fecha_revision   TIMESTAMP(3),
    fecha_aprobacion TIMESTAMP(3),
    aprendices       INTEGER,
    horas            INTEGER
);

-- Adds the rows' deltas, summed per key; keys whose deltas cancel out (an edit that changes
-- no counted column, e.g. an autosave) are not touched, so they take no lock on the summary.
-- Upserts in key order (two statements never wait for each other in a cycle), column =
-- column + delta (exact under concurrent transactions).
CREATE FUNCTION complementarias.resumen_apply(filas complementarias.resumen_fila[])
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
    a AS (
        SELECT centro_id, k.dim, k.clave, extract(year FROM mes)::int AS anio,
               sum(s) AS total, sum(s_aprobada) AS aprobadas,
               coalesce(sum(s) FILTER (WHERE estado = 'RECHAZADA'), 0) AS rechazadas,
               coalesce(sum(s) FILTER (WHERE estado IN ('PENDIENTE', 'EN_REVISION')), 0)
                   AS abiertas,
               sum(s_aprobada * coalesce(aprendices, 0)) AS aprendices,
               sum(s_aprobada * coalesce(horas, 0)) AS horas
          FROM f CROSS JOIN LATERAL (VALUES ('programa', f.programa_id),
                                            ('instructor', f.instructor_id)) k(dim, clave)
         WHERE estado <> 'BORRADOR'
         GROUP BY 1, 2, 3, 4)
    INSERT INTO complementarias.resumen_anual AS r
           (centro_id, dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices,
            horas)
    SELECT * FROM a
     WHERE total <> 0 OR aprobadas <> 0 OR rechazadas <> 0 OR abiertas <> 0
        OR aprendices <> 0 OR horas <> 0
     ORDER BY centro_id, dim, clave, anio
    ON CONFLICT (centro_id, dim, clave, anio) DO UPDATE
       SET total = r.total + excluded.total, aprobadas = r.aprobadas + excluded.aprobadas,
           rechazadas = r.rechazadas + excluded.rechazadas,
           abiertas = r.abiertas + excluded.abiertas,
           aprendices = r.aprendices + excluded.aprendices, horas = r.horas + excluded.horas
$$;

-- The cx_solicitudes_resumen_* statement triggers (one per event: transition tables allow
-- only one). Never raises, whoever writes (the web app too): on any error the summary is
-- marked stale, a warning is logged, and the next `complementarias migrate` rebuilds it.
CREATE FUNCTION complementarias.resumen_trigger() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    filas complementarias.resumen_fila[] := '{}';
BEGIN
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            filas := filas || ARRAY(
                SELECT ROW(1, x."programaId", x."instructorId", x."estado"::text,
                           x."fechaSolicitud", x."fechaRevision", x."fechaAprobacion",
                           x."numeroAprendicesInscribir", x."duracionMaxima"
                          )::complementarias.resumen_fila FROM nuevas x);
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            filas := filas || ARRAY(
                SELECT ROW(-1, x."programaId", x."instructorId", x."estado"::text,
                           x."fechaSolicitud", x."fechaRevision", x."fechaAprobacion",
                           x."numeroAprendicesInscribir", x."duracionMaxima"
                          )::complementarias.resumen_fila FROM viejas x);
        END IF;
        PERFORM complementarias.resumen_apply(filas);
    EXCEPTION WHEN OTHERS THEN
        BEGIN
            UPDATE complementarias.resumen_estado SET stale = true, last_error = SQLERRM;
        EXCEPTION WHEN OTHERS THEN
            NULL;
        END;
        RAISE WARNING 'complementarias: resumen de solicitudes desactualizado (%)', SQLERRM;
    END;
    RETURN NULL;
END
$$;

-- Both summaries rebuilt from public.solicitudes, through the same resumen_apply() as the
-- triggers, one centro's solicitudes at a time (each summary row is written once), while
-- writers wait.
CREATE FUNCTION complementarias.resumen_rebuild() RETURNS void
    LANGUAGE sql AS $$
    LOCK TABLE public.solicitudes IN SHARE MODE;  -- writers wait; readers do not
    DELETE FROM complementarias.resumen_solicitudes;
    DELETE FROM complementarias.resumen_anual;
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

-- The summary's count per centro and estado (drafts included).
CREATE FUNCTION complementarias.resumen_conteos()
    RETURNS TABLE (centro_id text, estado text, n bigint) LANGUAGE sql STABLE AS $$
    SELECT r.centro_id, e.estado, sum(e.n)::bigint
      FROM complementarias.resumen_solicitudes r
     CROSS JOIN LATERAL (VALUES ('BORRADOR', r.borrador), ('PENDIENTE', r.pendiente),
                                ('EN_REVISION', r.en_revision), ('APROBADA', r.aprobada),
                                ('RECHAZADA', r.rechazada), ('CANCELADA', r.cancelada)) e(estado, n)
     GROUP BY 1, 2
    HAVING sum(e.n) <> 0
$$;

-- True when the summaries cannot be trusted: marked stale, a trigger missing (writes may have
-- been missed, e.g. after `prisma db push`), or the counts per centro and estado differ from
-- public.solicitudes (e.g. after a restore), or the yearly totals from the monthly ones.
CREATE FUNCTION complementarias.resumen_stale() RETURNS boolean
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
        SELECT centro_id, sum(n) AS total FROM resumen WHERE estado <> 'BORRADOR' GROUP BY 1)
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
$$;
