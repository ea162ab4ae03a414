-- Back to migration 0006's functions; the daily summary dropped.

CREATE OR REPLACE FUNCTION complementarias.resumen_apply(filas complementarias.resumen_fila[])
    RETURNS void LANGUAGE sql AS $$
    SELECT complementarias.resumen_apply_centros(filas);
    SELECT complementarias.resumen_apply_nacional(filas);
$$;

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

DROP FUNCTION complementarias.resumen_diario_rebuild();
DROP FUNCTION complementarias.resumen_apply_diario(complementarias.resumen_fila[]);
DROP FUNCTION complementarias.resumen_dia(timestamp);
DROP TABLE complementarias.resumen_diario;
