-- The synthetic data set (`complementarias seed --synthetic`): rows are streamed with COPY
-- (text format, columns in the order below) inside one transaction.

-- name: synth_is_superuser$
-- Superusers may skip the row-by-row FK checks and triggers during the load
-- (session_replication_role = replica); the generator makes every reference valid itself.
SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false);

-- name: synth_replica_role#
SET LOCAL session_replication_role = replica;

-- name: synth_load_settings#
-- For this transaction only: no wait for the commit's flush, memory and parallel workers
-- for the index builds of post-apply.sql (it keeps a higher maintenance_work_mem).
SET LOCAL synchronous_commit = off;
SET LOCAL maintenance_work_mem = '1GB';
SET LOCAL max_parallel_maintenance_workers = 2;

-- name: synth_drop_cx_indexes#
-- Indexes are built once after the load (post-apply.sql) instead of row by row; the drop is
-- part of the load transaction, so a failed load gets them back.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT indexname FROM pg_indexes
              WHERE schemaname = 'public' AND indexname LIKE 'cx\_%' LOOP
        EXECUTE format('DROP INDEX public.%I', r.indexname);
    END LOOP;
END
$$;

-- name: synth_counter_last$
SELECT coalesce((SELECT last FROM complementarias.counters
                  WHERE kind = :kind AND year = :year), 0);

-- name: synth_set_counter!
-- The counter continues after the highest number the load used.
INSERT INTO complementarias.counters (kind, year, last) VALUES (:kind, :year, :last)
ON CONFLICT (kind, year) DO UPDATE
   SET last = greatest(complementarias.counters.last, excluded.last);

-- name: synth_analyze#
ANALYZE public.centros, public.users, public.programas, public.objetivos_aprendizaje,
        public.competencias, public.resultados_aprendizaje, public.solicitudes,
        public.horarios_detallados, public.notificaciones;

-- name: synth_vacuum#
-- Visibility map and hint bits for the big tables. solicitudes, users and programas were
-- analyzed by post-apply.sql inside the load (it does when it re-creates their trigram
-- indexes, and the load drops every cx_ index): ANALYZE folds a 30 000-row sample for each
-- folded expression, so it is not repeated here.
VACUUM (ANALYZE) public.horarios_detallados, public.notificaciones;

-- name: synth_vacuum_analyzed#
VACUUM public.solicitudes, public.users, public.programas;

-- name: copy_centros#
COPY public.centros ("id", "nombre", "codigo", "direccion", "telefono", "ciudad", "region",
                     "isActive", "createdAt", "updatedAt") FROM STDIN;

-- name: copy_users#
COPY public.users ("id", "email", "password", "name", "cedula", "telefono", "role",
                   "centroId", "especialidad", "isActive", "createdAt", "updatedAt") FROM STDIN;

-- name: copy_programas#
COPY public.programas ("id", "codigo", "nombre", "tipoFormacion", "modalidad", "duracionHoras",
                       "cupoAprendices", "descripcion", "centroId", "isActive", "createdAt",
                       "updatedAt") FROM STDIN;

-- name: copy_objetivos#
COPY public.objetivos_aprendizaje ("id", "descripcion", "programaId", "orden") FROM STDIN;

-- name: copy_competencias#
COPY public.competencias ("id", "descripcion", "codigo", "programaId") FROM STDIN;

-- name: copy_resultados#
COPY public.resultados_aprendizaje ("id", "descripcion", "codigo", "programaId") FROM STDIN;

-- name: copy_solicitudes#
COPY public.solicitudes (
    "id", "codigo", "instructorId", "programaId", "fechaCaracterizacion", "responsableNombre",
    "responsableCedula", "responsableEmail", "codigoPrograma", "versionPrograma",
    "duracionMaxima", "cupoMaximo", "numeroAprendicesInscribir", "modalidad", "municipio",
    "departamento", "nombreEmpresa", "nitEmpresa", "codigoEmpresa", "representanteLegal",
    "fechaCreacionEmpresa", "direccionEmpresa", "telefonosEmpresa", "lugarFormacion",
    "tipoAmbiente", "programaEmprendimiento", "programaBilinguismo", "atencionInstituciones",
    "posconflicto", "senaEmprendeRural", "formacionEspecialMypimes",
    "senaEmprendeRuralPosconflicto", "tecnoacademiaSennova", "campesenaConvenio8842",
    "fullPopularConvenio8882", "icbfInstituto", "policiaNacional", "otroEspecificar",
    "inicioInscripcion", "finalizacionInscripcion", "fechaInicioCurso",
    "fechaFinalizacionCurso", "justificacion", "objetivosPersonalizados",
    "resultadosEsperados", "observaciones", "cumpleRequisitos", "autorizaUsoInfo",
    "confirmaVeracidad", "estado", "fechaSolicitud", "fechaRevision", "fechaAprobacion",
    "comentariosRevision", "numeroFicha", "createdAt", "updatedAt"
) FROM STDIN;

-- name: copy_horarios#
COPY public.horarios_detallados ("id", "solicitudId", "diaSemana", "fecha", "horaInicio",
                                 "horaFin", "esFlexible", "observaciones") FROM STDIN;

-- name: copy_notificaciones#
COPY public.notificaciones ("id", "tipo", "titulo", "mensaje", "leida", "fechaCreada",
                            "usuarioId", "solicitudId") FROM STDIN;

-- name: copy_historial#
COPY complementarias.historial (solicitud_id, actor_id, actor_nombre, accion, estado_desde,
                                estado_hasta, comentario, creado_en) FROM STDIN;

-- name: synth_resumen_temp#
-- The summary deltas of the synthetic rows (tui/synthetic/resumen.py), added by
-- synth_resumen_add: the load skips the triggers, so the summaries would otherwise be rebuilt
-- from every row.
CREATE TEMP TABLE synth_resumen_mensual (LIKE complementarias.resumen_solicitudes)
    ON COMMIT DROP;
CREATE TEMP TABLE synth_resumen_diario (LIKE complementarias.resumen_diario) ON COMMIT DROP;
CREATE TEMP TABLE synth_resumen_anual (LIKE complementarias.resumen_anual) ON COMMIT DROP;
CREATE TEMP TABLE synth_resumen_instructor (LIKE complementarias.resumen_instructor)
    ON COMMIT DROP;

-- name: copy_resumen_mensual#
COPY synth_resumen_mensual (centro_id, mes, borrador, pendiente, en_revision, aprobada,
                            rechazada, cancelada, aprendices, horas, resp_n, resp_dias)
    FROM STDIN;

-- name: copy_resumen_diario#
COPY synth_resumen_diario (dia, centro_id, pendiente, en_revision, aprobada, rechazada,
                           cancelada, aprendices, horas, resp_n, resp_dias) FROM STDIN;

-- name: copy_resumen_anual#
COPY synth_resumen_anual (centro_id, dim, clave, anio, total, aprobadas, rechazadas, abiertas,
                          aprendices, horas) FROM STDIN;

-- name: copy_resumen_instructor#
COPY synth_resumen_instructor (instructor_id, anio, estado, n) FROM STDIN;

-- name: synth_resumen_add#
-- column = column + delta, in key order, as complementarias.resumen_apply() does.
INSERT INTO complementarias.resumen_solicitudes AS r
SELECT * FROM synth_resumen_mensual ORDER BY centro_id, mes
ON CONFLICT (centro_id, mes) DO UPDATE
   SET borrador = r.borrador + excluded.borrador,
       pendiente = r.pendiente + excluded.pendiente,
       en_revision = r.en_revision + excluded.en_revision,
       aprobada = r.aprobada + excluded.aprobada,
       rechazada = r.rechazada + excluded.rechazada,
       cancelada = r.cancelada + excluded.cancelada,
       aprendices = r.aprendices + excluded.aprendices,
       horas = r.horas + excluded.horas, resp_n = r.resp_n + excluded.resp_n,
       resp_dias = r.resp_dias + excluded.resp_dias;
INSERT INTO complementarias.resumen_diario AS r
SELECT * FROM synth_resumen_diario ORDER BY dia, centro_id
ON CONFLICT (dia, centro_id) DO UPDATE
   SET pendiente = r.pendiente + excluded.pendiente,
       en_revision = r.en_revision + excluded.en_revision,
       aprobada = r.aprobada + excluded.aprobada,
       rechazada = r.rechazada + excluded.rechazada,
       cancelada = r.cancelada + excluded.cancelada,
       aprendices = r.aprendices + excluded.aprendices,
       horas = r.horas + excluded.horas, resp_n = r.resp_n + excluded.resp_n,
       resp_dias = r.resp_dias + excluded.resp_dias;
INSERT INTO complementarias.resumen_anual AS r
SELECT * FROM synth_resumen_anual ORDER BY centro_id, dim, clave, anio
ON CONFLICT (centro_id, dim, clave, anio) DO UPDATE
   SET total = r.total + excluded.total, aprobadas = r.aprobadas + excluded.aprobadas,
       rechazadas = r.rechazadas + excluded.rechazadas,
       abiertas = r.abiertas + excluded.abiertas,
       aprendices = r.aprendices + excluded.aprendices, horas = r.horas + excluded.horas;
INSERT INTO complementarias.resumen_instructor AS r
SELECT * FROM synth_resumen_instructor ORDER BY instructor_id, anio, estado
ON CONFLICT (instructor_id, anio, estado) DO UPDATE SET n = r.n + excluded.n;
INSERT INTO complementarias.resumen_nacional AS r
SELECT dim, clave, anio, sum(total), sum(aprobadas), sum(rechazadas), sum(abiertas),
       sum(aprendices), sum(horas)
  FROM synth_resumen_anual GROUP BY dim, clave, anio ORDER BY dim, clave, anio
ON CONFLICT (dim, clave, anio) DO UPDATE
   SET total = r.total + excluded.total, aprobadas = r.aprobadas + excluded.aprobadas,
       rechazadas = r.rechazadas + excluded.rechazadas,
       abiertas = r.abiertas + excluded.abiertas,
       aprendices = r.aprendices + excluded.aprendices, horas = r.horas + excluded.horas;
