-- Solicitudes: the insert shared by drafts, duplicates and the demo seeds.

-- name: insert_solicitud^
-- Returns no row when the codigo (or ficha) is already taken.
INSERT INTO public.solicitudes (
    "id",
    "codigo",
    "instructorId",
    "programaId",
    "fechaCaracterizacion",
    "responsableNombre",
    "responsableCedula",
    "responsableEmail",
    "codigoPrograma",
    "versionPrograma",
    "duracionMaxima",
    "cupoMaximo",
    "numeroAprendicesInscribir",
    "modalidad",
    "municipio",
    "departamento",
    "nombreEmpresa",
    "nitEmpresa",
    "codigoEmpresa",
    "representanteLegal",
    "fechaCreacionEmpresa",
    "direccionEmpresa",
    "telefonosEmpresa",
    "lugarFormacion",
    "tipoAmbiente",
    "programaEmprendimiento",
    "programaBilinguismo",
    "atencionInstituciones",
    "posconflicto",
    "senaEmprendeRural",
    "formacionEspecialMypimes",
    "senaEmprendeRuralPosconflicto",
    "tecnoacademiaSennova",
    "campesenaConvenio8842",
    "fullPopularConvenio8882",
    "icbfInstituto",
    "policiaNacional",
    "otroEspecificar",
    "inicioInscripcion",
    "finalizacionInscripcion",
    "fechaInicioCurso",
    "fechaFinalizacionCurso",
    "justificacion",
    "objetivosPersonalizados",
    "resultadosEsperados",
    "observaciones",
    "cumpleRequisitos",
    "autorizaUsoInfo",
    "confirmaVeracidad",
    "estado",
    "fechaSolicitud",
    "fechaRevision",
    "fechaAprobacion",
    "comentariosRevision",
    "numeroFicha",
    "createdAt",
    "updatedAt"
) VALUES (
    :id,
    :codigo,
    :instructorId,
    :programaId,
    :fechaCaracterizacion,
    :responsableNombre,
    :responsableCedula,
    :responsableEmail,
    :codigoPrograma,
    :versionPrograma,
    :duracionMaxima,
    :cupoMaximo,
    :numeroAprendicesInscribir,
    :modalidad::"public"."Modalidad",
    :municipio,
    :departamento,
    :nombreEmpresa,
    :nitEmpresa,
    :codigoEmpresa,
    :representanteLegal,
    :fechaCreacionEmpresa,
    :direccionEmpresa,
    :telefonosEmpresa,
    :lugarFormacion,
    :tipoAmbiente,
    :programaEmprendimiento,
    :programaBilinguismo,
    :atencionInstituciones,
    :posconflicto,
    :senaEmprendeRural,
    :formacionEspecialMypimes,
    :senaEmprendeRuralPosconflicto,
    :tecnoacademiaSennova,
    :campesenaConvenio8842,
    :fullPopularConvenio8882,
    :icbfInstituto,
    :policiaNacional,
    :otroEspecificar,
    :inicioInscripcion,
    :finalizacionInscripcion,
    :fechaInicioCurso,
    :fechaFinalizacionCurso,
    :justificacion,
    :objetivosPersonalizados,
    :resultadosEsperados,
    :observaciones,
    :cumpleRequisitos,
    :autorizaUsoInfo,
    :confirmaVeracidad,
    :estado::"public"."EstadoSolicitud",
    :fechaSolicitud,
    :fechaRevision,
    :fechaAprobacion,
    :comentariosRevision,
    :numeroFicha,
    :createdAt,
    :updatedAt
)
ON CONFLICT DO NOTHING
RETURNING "id";

-- name: solicitud_for_update^
-- The row a transition works on, locked until the transaction ends, so that two coordinators
-- acting at once are serialised: the second one sees the first one's result.
SELECT s.*, s."estado"::text AS estado_txt, s."modalidad"::text AS modalidad_txt,
       p."centroId" AS programa_centro_id, p."nombre" AS programa_nombre,
       u."name" AS instructor_nombre
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE s."id" = :id
   FOR UPDATE OF s;

-- name: solicitud_visible^
-- One solicitud, only if the actor may see it: the owner always; coordinators of the
-- programa's centro and admins, except drafts (a draft is private to its author).
SELECT s.*, s."estado"::text AS estado_txt, s."modalidad"::text AS modalidad_txt,
       p."centroId" AS programa_centro_id, p."nombre" AS programa_nombre,
       c."nombre" AS centro_nombre, u."name" AS instructor_nombre, u."email" AS instructor_email
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.centros c ON c."id" = p."centroId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE s."id" = :id
   AND (s."instructorId" = :actor_id
        OR (s."estado" <> 'BORRADOR'
            AND (:role = 'ADMIN' OR (:role = 'COORDINADOR' AND p."centroId" = :centro_id))));

-- name: update_solicitud_form^
-- Optimistic lock: only when the row is still the version the user started from.
UPDATE public.solicitudes SET
    "programaId" = :programaId,
    "fechaCaracterizacion" = :fechaCaracterizacion,
    "responsableNombre" = :responsableNombre,
    "responsableCedula" = :responsableCedula,
    "responsableEmail" = :responsableEmail,
    "codigoPrograma" = :codigoPrograma,
    "versionPrograma" = :versionPrograma,
    "duracionMaxima" = :duracionMaxima,
    "cupoMaximo" = :cupoMaximo,
    "numeroAprendicesInscribir" = :numeroAprendicesInscribir,
    "modalidad" = :modalidad::"public"."Modalidad",
    "municipio" = :municipio,
    "departamento" = :departamento,
    "nombreEmpresa" = :nombreEmpresa,
    "nitEmpresa" = :nitEmpresa,
    "codigoEmpresa" = :codigoEmpresa,
    "representanteLegal" = :representanteLegal,
    "fechaCreacionEmpresa" = :fechaCreacionEmpresa,
    "direccionEmpresa" = :direccionEmpresa,
    "telefonosEmpresa" = :telefonosEmpresa,
    "lugarFormacion" = :lugarFormacion,
    "tipoAmbiente" = :tipoAmbiente,
    "programaEmprendimiento" = :programaEmprendimiento,
    "programaBilinguismo" = :programaBilinguismo,
    "atencionInstituciones" = :atencionInstituciones,
    "posconflicto" = :posconflicto,
    "senaEmprendeRural" = :senaEmprendeRural,
    "formacionEspecialMypimes" = :formacionEspecialMypimes,
    "senaEmprendeRuralPosconflicto" = :senaEmprendeRuralPosconflicto,
    "tecnoacademiaSennova" = :tecnoacademiaSennova,
    "campesenaConvenio8842" = :campesenaConvenio8842,
    "fullPopularConvenio8882" = :fullPopularConvenio8882,
    "icbfInstituto" = :icbfInstituto,
    "policiaNacional" = :policiaNacional,
    "otroEspecificar" = :otroEspecificar,
    "inicioInscripcion" = :inicioInscripcion,
    "finalizacionInscripcion" = :finalizacionInscripcion,
    "fechaInicioCurso" = :fechaInicioCurso,
    "fechaFinalizacionCurso" = :fechaFinalizacionCurso,
    "justificacion" = :justificacion,
    "objetivosPersonalizados" = :objetivosPersonalizados,
    "resultadosEsperados" = :resultadosEsperados,
    "observaciones" = :observaciones,
    "cumpleRequisitos" = :cumpleRequisitos,
    "autorizaUsoInfo" = :autorizaUsoInfo,
    "confirmaVeracidad" = :confirmaVeracidad,
    "updatedAt" = :now
 WHERE "id" = :id AND "updatedAt" = :expected_updated_at
RETURNING "updatedAt";

-- name: transition_solicitud^
-- The estado and its dates, as computed by the service from the locked row.
UPDATE public.solicitudes SET
    "estado" = :estado::"public"."EstadoSolicitud",
    "fechaSolicitud" = :fecha_solicitud,
    "fechaRevision" = :fecha_revision,
    "fechaAprobacion" = :fecha_aprobacion,
    "comentariosRevision" = :comentarios,
    "numeroFicha" = :numero_ficha,
    "updatedAt" = :now
 WHERE "id" = :id
RETURNING "updatedAt";

-- name: horarios_of
SELECT "id", "diaSemana"::text AS "diaSemana", "fecha", "horaInicio", "horaFin", "esFlexible",
       "observaciones"
  FROM public.horarios_detallados
 WHERE "solicitudId" = :solicitud_id
 ORDER BY "fecha" NULLS LAST, "diaSemana", "horaInicio", "id";

-- name: insert_historial!
INSERT INTO complementarias.historial (solicitud_id, actor_id, actor_nombre, accion,
                                       estado_desde, estado_hasta, comentario)
VALUES (:solicitud_id, :actor_id, :actor_nombre, :accion, :estado_desde, :estado_hasta,
        :comentario);

-- name: historial_of
SELECT actor_nombre, accion, estado_desde, estado_hasta, comentario, creado_en
  FROM complementarias.historial
 WHERE solicitud_id = :solicitud_id
 ORDER BY creado_en, id;

-- name: counts_by_estado
-- Every solicitud in the actor's scope, grouped by estado (not a first page).
SELECT s."estado"::text AS estado, count(*) AS n
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE CASE :role
         WHEN 'INSTRUCTOR' THEN s."instructorId" = :actor_id
         WHEN 'COORDINADOR' THEN p."centroId" = :centro_id AND s."estado" <> 'BORRADOR'
         WHEN 'ADMIN' THEN s."estado" <> 'BORRADOR'
                           AND (:centro_filter::text IS NULL OR p."centroId" = :centro_filter)
         ELSE false
       END
 GROUP BY s."estado";

-- name: list_solicitudes
-- A keyset page (newest first) of the solicitudes in the actor's scope, filtered.
SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud", s."createdAt",
       s."updatedAt", s."instructorId", s."nombreEmpresa", s."municipio", s."numeroFicha",
       s."numeroAprendicesInscribir", s."duracionMaxima", s."fechaInicioCurso",
       p."nombre" AS programa_nombre, p."codigo" AS programa_codigo,
       u."name" AS instructor_nombre, c."codigo" AS centro_codigo
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.centros c ON c."id" = p."centroId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE CASE :role
         WHEN 'INSTRUCTOR' THEN s."instructorId" = :actor_id
         WHEN 'COORDINADOR' THEN p."centroId" = :centro_id AND s."estado" <> 'BORRADOR'
         WHEN 'ADMIN' THEN s."estado" <> 'BORRADOR'
         ELSE false
       END
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:centro_filter::text IS NULL OR p."centroId" = :centro_filter)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
   AND (:q::text IS NULL OR s."codigo" ILIKE :q OR s."nombreEmpresa" ILIKE :q
        OR p."nombre" ILIKE :q OR s."numeroFicha" ILIKE :q OR u."name" ILIKE :q)
   AND (:after_ts::timestamp IS NULL OR (s."createdAt", s."id") < (:after_ts, :after_id))
 ORDER BY s."createdAt" DESC, s."id" DESC
 LIMIT :limit;

-- name: list_solicitudes_centro
-- The same page as list_solicitudes for one centro's scope (a coordinador's, or an admin's
-- centro filter), search included. solicitudes has no centro column, so instead of
-- walking the whole table newest first and keeping the centro's rows, each (programa of
-- the centro, estado) pair is a short backward range of
-- cx_solicitudes_programa_estado_created_idx, at most one page long, and the ranges are
-- merged: ~90 ranges of a few index entries each for a centro of 10 000 solicitudes (a
-- search reads at most the centro's rows, never the whole table).
SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud", s."createdAt",
       s."updatedAt", s."instructorId", s."nombreEmpresa", s."municipio", s."numeroFicha",
       s."numeroAprendicesInscribir", s."duracionMaxima", s."fechaInicioCurso",
       p."nombre" AS programa_nombre, p."codigo" AS programa_codigo,
       u."name" AS instructor_nombre, c."codigo" AS centro_codigo
  FROM public.programas p
  JOIN public.centros c ON c."id" = p."centroId"
 CROSS JOIN unnest(enum_range(NULL::"public"."EstadoSolicitud")) AS e(estado)
 CROSS JOIN LATERAL (
       SELECT x.* FROM public.solicitudes x
        WHERE x."programaId" = p."id" AND x."estado" = e.estado
          AND (:instructor_id::text IS NULL OR x."instructorId" = :instructor_id)
          AND (:desde::timestamp IS NULL OR x."fechaSolicitud" >= :desde)
          AND (:hasta::timestamp IS NULL OR x."fechaSolicitud" < :hasta)
          AND (:after_ts::timestamp IS NULL OR (x."createdAt", x."id") < (:after_ts, :after_id))
          AND (:q::text IS NULL OR x."codigo" ILIKE :q OR x."nombreEmpresa" ILIKE :q
               OR p."nombre" ILIKE :q OR x."numeroFicha" ILIKE :q
               OR EXISTS (SELECT 1 FROM public.users iu
                           WHERE iu."id" = x."instructorId" AND iu."name" ILIKE :q))
        ORDER BY x."createdAt" DESC, x."id" DESC
        LIMIT :limit) s
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE p."centroId" = :centro
   AND e.estado <> 'BORRADOR'
   AND (:estado::text IS NULL OR e.estado = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR p."id" = :programa_id)
 ORDER BY s."createdAt" DESC, s."id" DESC
 LIMIT :limit;

-- name: count_solicitudes_centro$
-- The total of list_solicitudes_centro's set, read the same way (one parameterised range per
-- programa and estado): the planner, left to the general count, joins a sequential scan of
-- the whole table when a search is typed (0.6 s at 1 M instead of ~30 ms).
SELECT count(*)
  FROM public.programas p
 CROSS JOIN unnest(enum_range(NULL::"public"."EstadoSolicitud")) AS e(estado)
 CROSS JOIN LATERAL (
       SELECT 1 FROM public.solicitudes x
        WHERE x."programaId" = p."id" AND x."estado" = e.estado
          AND (:instructor_id::text IS NULL OR x."instructorId" = :instructor_id)
          AND (:desde::timestamp IS NULL OR x."fechaSolicitud" >= :desde)
          AND (:hasta::timestamp IS NULL OR x."fechaSolicitud" < :hasta)
          AND (:q::text IS NULL OR x."codigo" ILIKE :q OR x."nombreEmpresa" ILIKE :q
               OR p."nombre" ILIKE :q OR x."numeroFicha" ILIKE :q
               OR EXISTS (SELECT 1 FROM public.users iu
                           WHERE iu."id" = x."instructorId" AND iu."name" ILIKE :q))
       OFFSET 0) s  -- a fence: kept per range, not flattened into one whole-table join
 WHERE p."centroId" = :centro
   AND e.estado <> 'BORRADOR'
   AND (:estado::text IS NULL OR e.estado = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR p."id" = :programa_id);

-- name: count_solicitudes$
-- The total of the same filtered set as list_solicitudes, exact up to :cap rows (NULL: no
-- cap): counting every one of a million rows costs ~1 s, stopping at the cap a few ms. The
-- instructor's name is only looked up while searching, so a plain total is an index-only
-- scan (cx_solicitudes_programa_tablero_idx for a centro).
SELECT count(*) FROM (
SELECT 1
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE CASE :role
         WHEN 'INSTRUCTOR' THEN s."instructorId" = :actor_id
         WHEN 'COORDINADOR' THEN p."centroId" = :centro_id AND s."estado" <> 'BORRADOR'
         WHEN 'ADMIN' THEN s."estado" <> 'BORRADOR'
         ELSE false
       END
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:centro_filter::text IS NULL OR p."centroId" = :centro_filter)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
   AND (:q::text IS NULL OR s."codigo" ILIKE :q OR s."nombreEmpresa" ILIKE :q
        OR p."nombre" ILIKE :q OR s."numeroFicha" ILIKE :q
        OR EXISTS (SELECT 1 FROM public.users u
                    WHERE u."id" = s."instructorId" AND u."name" ILIKE :q))
 LIMIT :cap) capped;

-- name: solicitud_years
-- The years that have solicitudes in the actor's scope, for the year filter.
SELECT DISTINCT extract(year FROM s."fechaSolicitud")::int AS year
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE CASE :role
         WHEN 'INSTRUCTOR' THEN s."instructorId" = :actor_id
         WHEN 'COORDINADOR' THEN p."centroId" = :centro_id AND s."estado" <> 'BORRADOR'
         WHEN 'ADMIN' THEN s."estado" <> 'BORRADOR'
         ELSE false
       END
 ORDER BY year DESC;

-- name: review_queue
-- PENDIENTE and EN_REVISION of the coordinator's centro (admins: all), oldest first.
SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud", s."createdAt",
       s."instructorId", s."numeroFicha", s."nombreEmpresa", s."municipio",
       s."numeroAprendicesInscribir", s."duracionMaxima",
       s."fechaInicioCurso", p."nombre" AS programa_nombre, u."name" AS instructor_nombre,
       c."codigo" AS centro_codigo,
       extract(epoch FROM (now() AT TIME ZONE 'UTC' - s."fechaSolicitud")) / 86400.0 AS dias
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.centros c ON c."id" = p."centroId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE s."estado" IN ('PENDIENTE', 'EN_REVISION')
   AND (:role = 'ADMIN' OR p."centroId" = :centro_id)
   AND (:centro_filter::text IS NULL OR p."centroId" = :centro_filter)
   AND (:q::text IS NULL OR s."codigo" ILIKE :q OR s."nombreEmpresa" ILIKE :q
        OR p."nombre" ILIKE :q OR u."name" ILIKE :q)
   AND (:after_ts::timestamp IS NULL OR (s."fechaSolicitud", s."id") > (:after_ts, :after_id))
 ORDER BY s."fechaSolicitud", s."id"
 LIMIT :limit;

-- name: count_review_queue$
SELECT count(*)
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE s."estado" IN ('PENDIENTE', 'EN_REVISION')
   AND (:role = 'ADMIN' OR p."centroId" = :centro_id)
   AND (:centro_filter::text IS NULL OR p."centroId" = :centro_filter)
   AND (:q::text IS NULL OR s."codigo" ILIKE :q OR s."nombreEmpresa" ILIKE :q
        OR p."nombre" ILIKE :q OR u."name" ILIKE :q);

-- name: programa_for_solicitud^
SELECT p."id", p."codigo", p."nombre", p."tipoFormacion"::text AS "tipoFormacion",
       p."modalidad"::text AS "modalidad", p."duracionHoras", p."cupoAprendices",
       p."centroId", p."isActive"
  FROM public.programas p
 WHERE p."id" = :id;
