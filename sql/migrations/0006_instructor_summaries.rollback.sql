-- Back to migration 0004's functions; the two summaries of 0006 dropped.

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
