-- Back to migration 0004's functions; the two summaries of 0006 dropped.

DROP FUNCTION complementarias.resumen_apply(complementarias.resumen_fila[]);
DROP FUNCTION complementarias.resumen_apply_nacional(complementarias.resumen_fila[]);
ALTER FUNCTION complementarias.resumen_apply_centros(complementarias.resumen_fila[])
    RENAME TO resumen_apply;

CREATE OR REPLACE FUNCTION complementarias.resumen_rebuild() RETURNS void
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

DROP TABLE complementarias.resumen_nacional;
DROP TABLE complementarias.resumen_instructor;
