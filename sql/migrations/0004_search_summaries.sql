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

-- Exact counts of solicitudes per (centro of the programa, estado, Bogotá month of
-- fechaSolicitud; 0001-01-01 when it is NULL), with the sums the reports need. Kept exact by
-- the cx_solicitudes_resumen_* triggers; rebuilt from public.solicitudes by
-- resumen_rebuild() (post-apply.sql does it when resumen_stale() says so).
CREATE TABLE complementarias.resumen_solicitudes (
    centro_id  TEXT NOT NULL,
    estado     TEXT NOT NULL,
    mes        DATE NOT NULL,
    n          BIGINT NOT NULL DEFAULT 0,
    aprendices BIGINT NOT NULL DEFAULT 0,  -- sum of numeroAprendicesInscribir
    horas      BIGINT NOT NULL DEFAULT 0,  -- sum of duracionMaxima
    resp_n     BIGINT NOT NULL DEFAULT 0,  -- rows with a first answer (revision or approval)
    resp_dias  DOUBLE PRECISION NOT NULL DEFAULT 0,  -- sum of their days to that answer
    PRIMARY KEY (centro_id, estado, mes)
);
CREATE INDEX resumen_solicitudes_estado_mes_idx ON complementarias.resumen_solicitudes (estado, mes);

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

CREATE FUNCTION complementarias.resumen_respuesta(solicitud timestamp, revision timestamp,
                                                  aprobacion timestamp) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN date_part('epoch', coalesce(revision, aprobacion) - solicitud) / 86400.0;

-- One changed row as the summary sees it: +1 for a new version, -1 for an old one.
CREATE TYPE complementarias.resumen_fila AS (
    s                INTEGER,
    programa_id      TEXT,
    estado           TEXT,
    fecha_solicitud  TIMESTAMP(3),
    fecha_revision   TIMESTAMP(3),
    fecha_aprobacion TIMESTAMP(3),
    aprendices       INTEGER,
    horas            INTEGER
);

-- Adds the rows' deltas, summed per key; keys whose deltas cancel out (an edit that changes
-- no counted column, e.g. an autosave) are not touched, so they take no lock on the summary.
-- Upserts in key order (two statements never wait for each other in a cycle), n = n + delta
-- (exact under concurrent transactions).
CREATE FUNCTION complementarias.resumen_apply(filas complementarias.resumen_fila[])
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO complementarias.resumen_solicitudes AS r
           (centro_id, estado, mes, n, aprendices, horas, resp_n, resp_dias)
    SELECT coalesce(p."centroId", ''), f.estado,
           complementarias.resumen_mes(f.fecha_solicitud),
           sum(f.s), sum(f.s * coalesce(f.aprendices, 0)), sum(f.s * coalesce(f.horas, 0)),
           coalesce(sum(f.s) FILTER (WHERE w.dias IS NOT NULL), 0),
           coalesce(sum(f.s * w.dias), 0)
      FROM unnest(filas) f
      LEFT JOIN public.programas p ON p."id" = f.programa_id
     CROSS JOIN LATERAL (SELECT complementarias.resumen_respuesta(
                                    f.fecha_solicitud, f.fecha_revision, f.fecha_aprobacion)
                                AS dias) w
     GROUP BY 1, 2, 3
    HAVING sum(f.s) <> 0 OR sum(f.s * coalesce(f.aprendices, 0)) <> 0
        OR sum(f.s * coalesce(f.horas, 0)) <> 0
        OR coalesce(sum(f.s) FILTER (WHERE w.dias IS NOT NULL), 0) <> 0
        OR coalesce(sum(f.s * w.dias), 0) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT (centro_id, estado, mes) DO UPDATE
       SET n = r.n + excluded.n, aprendices = r.aprendices + excluded.aprendices,
           horas = r.horas + excluded.horas,
           resp_n = r.resp_n + excluded.resp_n,
           resp_dias = r.resp_dias + excluded.resp_dias
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
                SELECT ROW(1, x."programaId", x."estado"::text, x."fechaSolicitud",
                           x."fechaRevision", x."fechaAprobacion",
                           x."numeroAprendicesInscribir", x."duracionMaxima"
                          )::complementarias.resumen_fila FROM nuevas x);
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            filas := filas || ARRAY(
                SELECT ROW(-1, x."programaId", x."estado"::text, x."fechaSolicitud",
                           x."fechaRevision", x."fechaAprobacion",
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

-- The summary as it should be, computed from public.solicitudes.
CREATE FUNCTION complementarias.resumen_rebuild() RETURNS void
    LANGUAGE sql AS $$
    LOCK TABLE public.solicitudes IN SHARE MODE;  -- writers wait; readers do not
    DELETE FROM complementarias.resumen_solicitudes;
    INSERT INTO complementarias.resumen_solicitudes
           (centro_id, estado, mes, n, aprendices, horas, resp_n, resp_dias)
    SELECT coalesce(p."centroId", ''), s."estado"::text,
           complementarias.resumen_mes(s."fechaSolicitud"), count(*),
           coalesce(sum(s."numeroAprendicesInscribir"), 0), coalesce(sum(s."duracionMaxima"), 0),
           count(w.dias), coalesce(sum(w.dias), 0)
      FROM public.solicitudes s
      LEFT JOIN public.programas p ON p."id" = s."programaId"
     CROSS JOIN LATERAL (SELECT complementarias.resumen_respuesta(
                                    s."fechaSolicitud", s."fechaRevision", s."fechaAprobacion")
                                AS dias) w
     GROUP BY 1, 2, 3;
    UPDATE complementarias.resumen_estado SET stale = false, rebuilt_at = now(), last_error = NULL;
$$;

-- True when the summary cannot be trusted: marked stale, a trigger missing (writes may have
-- been missed, e.g. after `prisma db push`), or its counts per centro and estado differ from
-- public.solicitudes (e.g. after a restore).
CREATE FUNCTION complementarias.resumen_stale() RETURNS boolean
    LANGUAGE sql AS $$
    SELECT (SELECT stale FROM complementarias.resumen_estado)
        OR (SELECT count(*) FROM pg_trigger
             WHERE tgrelid = '"public"."solicitudes"'::regclass
               AND tgname IN ('cx_solicitudes_resumen_ins', 'cx_solicitudes_resumen_upd',
                              'cx_solicitudes_resumen_del')) < 3
        OR EXISTS (
            (SELECT coalesce(p."centroId", ''), s."estado"::text, count(*)
               FROM public.solicitudes s
               LEFT JOIN public.programas p ON p."id" = s."programaId"
              GROUP BY 1, 2)
            EXCEPT
            (SELECT centro_id, estado, sum(n) FROM complementarias.resumen_solicitudes
              GROUP BY 1, 2 HAVING sum(n) <> 0))
        OR EXISTS (
            (SELECT centro_id, estado, sum(n) FROM complementarias.resumen_solicitudes
              GROUP BY 1, 2 HAVING sum(n) <> 0)
            EXCEPT
            (SELECT coalesce(p."centroId", ''), s."estado"::text, count(*)
               FROM public.solicitudes s
               LEFT JOIN public.programas p ON p."id" = s."programaId"
              GROUP BY 1, 2))
$$;
