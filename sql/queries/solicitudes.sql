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
        OR complementarias.en_alcance(:role, :actor_id, :centro_id, NULL, s."instructorId",
                                      s."estado" = :borrador, p."centroId"));

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

-- name: resumen_instructor
-- An instructor's solicitudes per estado (drafts included) and Bogotá year of fechaSolicitud
-- (1: none yet), from complementarias.resumen_instructor (kept by the cx_solicitudes_resumen_*
-- triggers): their counts, their list's total and their year filter read these few dozen
-- rows instead of their solicitudes. Coordinadores and admins read resumen_solicitudes.
SELECT r.estado, r.anio, r.n
  FROM complementarias.resumen_instructor r
 WHERE r.instructor_id = :actor_id AND r.n <> 0;

-- name: list_solicitudes
-- A keyset page of the solicitudes in the actor's scope, filtered, in the order :orden
-- (tui/services/solicitudes.py ORDENES): 'recientes' newest first, 'antiguas' oldest first,
-- both read along cx_solicitudes_created_idx (an instructor's along
-- cx_solicitudes_instructor_created_idx), the cursor (createdAt, id) in either direction.
-- The filtered set is written once (f, inlined into each branch: NOT MATERIALIZED); :orden
-- is a constant when planned (no prepared statements), so only its branch runs.
WITH f AS NOT MATERIALIZED (
SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud", s."createdAt",
       s."updatedAt", s."instructorId", s."nombreEmpresa", s."municipio", s."numeroFicha",
       s."numeroAprendicesInscribir", s."duracionMaxima", s."fechaInicioCurso",
       p."nombre" AS programa_nombre, p."codigo" AS programa_codigo,
       u."name" AS instructor_nombre, c."codigo" AS centro_codigo
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.centros c ON c."id" = p."centroId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE complementarias.en_alcance(:role, :actor_id, :centro_id, :centro_filter,
                                  s."instructorId", s."estado" = :borrador, p."centroId")
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
   AND (s."instructorId" IN (SELECT id FROM complementarias.usuarios_coinciden(:q))
        OR s."programaId" IN (SELECT id FROM complementarias.programas_coinciden(:q))
        OR complementarias.solicitud_coincide(:q, s."codigo", s."numeroFicha", s."nombreEmpresa",
                                              s."responsableNombre", s."responsableCedula",
                                              s."responsableEmail")))
(SELECT * FROM f
  WHERE :orden::text = 'recientes'
    AND (:after_ts::timestamp IS NULL OR ("createdAt", "id") < (:after_ts, :after_id))
  ORDER BY "createdAt" DESC, "id" DESC
  LIMIT :limit)
UNION ALL
(SELECT * FROM f
  WHERE :orden::text = 'antiguas'
    AND (:after_ts::timestamp IS NULL OR ("createdAt", "id") > (:after_ts, :after_id))
  ORDER BY "createdAt", "id"
  LIMIT :limit);

-- name: list_solicitudes_centro
-- The same page as list_solicitudes for one centro's scope (a coordinador's, or an admin's
-- centro filter), search included, in the order :orden. solicitudes has no centro column, so
-- instead of walking the whole table and keeping the centro's rows, each (programa of the
-- centro, estado) pair is a short range of cx_solicitudes_programa_estado_created_idx (read
-- backwards for 'recientes', forwards for 'antiguas'), at most one page long, and the ranges
-- are merged: ~90 ranges of a few index entries each for a centro of 10 000 solicitudes (a
-- search reads at most the centro's rows, never the whole table; a centro with few
-- solicitudes is not found by walking everyone's). :since bounds the newest-first ranges to
-- recent rows: a common term fills its page there without folding the whole centro. The
-- filtered set is written once (f, inlined into each range: NOT MATERIALIZED).
WITH f AS NOT MATERIALIZED (
SELECT x.* FROM public.solicitudes x
 WHERE (:instructor_id::text IS NULL OR x."instructorId" = :instructor_id)
   AND (:desde::timestamp IS NULL OR x."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR x."fechaSolicitud" < :hasta)
   AND (x."instructorId" IN (SELECT id FROM complementarias.usuarios_coinciden(:q))
        OR x."programaId" IN (SELECT id FROM complementarias.programas_coinciden(:q))
        OR complementarias.solicitud_coincide(:q, x."codigo", x."numeroFicha",
                                              x."nombreEmpresa", x."responsableNombre",
                                              x."responsableCedula", x."responsableEmail")))
SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud", s."createdAt",
       s."updatedAt", s."instructorId", s."nombreEmpresa", s."municipio", s."numeroFicha",
       s."numeroAprendicesInscribir", s."duracionMaxima", s."fechaInicioCurso",
       p."nombre" AS programa_nombre, p."codigo" AS programa_codigo,
       u."name" AS instructor_nombre, c."codigo" AS centro_codigo
  FROM public.programas p
  JOIN public.centros c ON c."id" = p."centroId"
 CROSS JOIN unnest(enum_range(NULL::"public"."EstadoSolicitud")) AS e(estado)
 CROSS JOIN LATERAL (
       (SELECT * FROM f
         WHERE f."programaId" = p."id" AND f."estado" = e.estado
           AND :orden::text = 'recientes'
           AND (:after_ts::timestamp IS NULL OR (f."createdAt", f."id") < (:after_ts, :after_id))
           AND (:since::timestamp IS NULL OR f."createdAt" >= :since)
         ORDER BY f."createdAt" DESC, f."id" DESC
         LIMIT :limit)
       UNION ALL
       (SELECT * FROM f
         WHERE f."programaId" = p."id" AND f."estado" = e.estado
           AND :orden::text = 'antiguas'
           AND (:after_ts::timestamp IS NULL OR (f."createdAt", f."id") > (:after_ts, :after_id))
         ORDER BY f."createdAt", f."id"
         LIMIT :limit)) s
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE p."centroId" = :centro
   AND e.estado <> :borrador
   AND (:estado::text IS NULL OR e.estado = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR p."id" = :programa_id)
 ORDER BY CASE WHEN :orden::text = 'antiguas' THEN s."createdAt" END,
          CASE WHEN :orden::text = 'antiguas' THEN s."id" END,
          s."createdAt" DESC, s."id" DESC
 LIMIT :limit;

-- name: count_solicitudes$
-- The total of the same filtered set as list_solicitudes, exact up to :cap rows (NULL: no
-- cap): counting every one of a million rows costs ~1 s, stopping at the cap a few ms; an
-- index-only scan without a search (cx_solicitudes_programa_tablero_idx for a centro). The
-- list screens count a search with search_solicitudes or estimate it; exports count it here.
-- LEFT JOIN (every solicitud has its programa): when nothing asks for the programa's centro
-- (an instructor's scope, an admin without a centro filter) the planner drops the join.
SELECT count(*) FROM (
SELECT 1
  FROM public.solicitudes s
  LEFT JOIN public.programas p ON p."id" = s."programaId"
 WHERE complementarias.en_alcance(:role, :actor_id, :centro_id, :centro_filter,
                                  s."instructorId", s."estado" = :borrador, p."centroId")
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
   AND (s."instructorId" IN (SELECT id FROM complementarias.usuarios_coinciden(:q))
        OR s."programaId" IN (SELECT id FROM complementarias.programas_coinciden(:q))
        OR complementarias.solicitud_coincide(:q, s."codigo", s."numeroFicha", s."nombreEmpresa",
                                              s."responsableNombre", s."responsableCedula",
                                              s."responsableEmail"))
 LIMIT :cap) capped;

-- name: review_queue
-- PENDIENTE and EN_REVISION of the coordinator's centro (admins: all), in the order :orden
-- (tui/services/solicitudes.py ORDENES_COLA): 'antiguas' longest waiting first, 'recientes'
-- last sent first, both along cx_solicitudes_cola_idx (forwards, backwards), the cursor
-- (fechaSolicitud, id) in either direction. As list_solicitudes: f written once, one branch
-- runs.
WITH f AS NOT MATERIALIZED (
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
 WHERE s."estado" = ANY(:abiertas::"public"."EstadoSolicitud"[])
   AND complementarias.en_alcance(:role, NULL, :centro_id, :centro_filter, s."instructorId",
                                  s."estado" = :borrador, p."centroId")
   AND (s."instructorId" IN (SELECT id FROM complementarias.usuarios_coinciden(:q))
        OR s."programaId" IN (SELECT id FROM complementarias.programas_coinciden(:q))
        OR complementarias.solicitud_coincide(:q, s."codigo", s."numeroFicha", s."nombreEmpresa",
                                              s."responsableNombre", s."responsableCedula",
                                              s."responsableEmail")))
(SELECT * FROM f
  WHERE :orden::text = 'antiguas'
    AND (:after_ts::timestamp IS NULL OR ("fechaSolicitud", "id") > (:after_ts, :after_id))
  ORDER BY "fechaSolicitud", "id"
  LIMIT :limit)
UNION ALL
(SELECT * FROM f
  WHERE :orden::text = 'recientes'
    AND (:after_ts::timestamp IS NULL OR ("fechaSolicitud", "id") < (:after_ts, :after_id))
  ORDER BY "fechaSolicitud" DESC, "id" DESC
  LIMIT :limit);

-- name: count_review_queue^
-- How many solicitudes of the review queue match a search (same scope and search as
-- review_queue), and how many of them have waited since before :urgente_antes (urgentes).
SELECT count(*) AS total, count(*) FILTER (WHERE s."fechaSolicitud" < :urgente_antes) AS urgentes
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE s."estado" = ANY(:abiertas::"public"."EstadoSolicitud"[])
   AND complementarias.en_alcance(:role, NULL, :centro_id, :centro_filter, s."instructorId",
                                  s."estado" = :borrador, p."centroId")
   AND (s."instructorId" IN (SELECT id FROM complementarias.usuarios_coinciden(:q))
        OR s."programaId" IN (SELECT id FROM complementarias.programas_coinciden(:q))
        OR complementarias.solicitud_coincide(:q, s."codigo", s."numeroFicha", s."nombreEmpresa",
                                              s."responsableNombre", s."responsableCedula",
                                              s."responsableEmail"));

-- name: programa_for_solicitud^
SELECT p."id", p."codigo", p."nombre", p."tipoFormacion"::text AS "tipoFormacion",
       p."modalidad"::text AS "modalidad", p."duracionHoras", p."cupoAprendices",
       p."centroId", p."isActive"
  FROM public.programas p
 WHERE p."id" = :id;

-- Search. Text is folded in SQL with complementarias.fold (no accents, lower case) on both
-- sides; the scope (complementarias.en_alcance) and what is searched (texto_solicitud,
-- texto_usuario, texto_programa, solicitud_coincide, usuarios_coinciden,
-- programas_coinciden) are defined once in migration 0005, inlined by the planner.
-- list_solicitudes, list_solicitudes_centro, search_instructor and the review queue walk the
-- scope newest (or oldest) first and fold each row (solicitud_coincide, never the indexed
-- expression): at once for a common term. A rare term goes to search_solicitudes, which
-- reads only the matches through the search indexes (cx_solicitudes_pares_idx and
-- cx_solicitudes_frase_trgm_idx of migration 0007, cx_users_busqueda_trgm_idx,
-- cx_programas_busqueda_trgm_idx).

-- name: search_solicitudes
-- A keyset page (newest first) of the matches of a term in the actor's scope, filtered, read
-- through the search indexes (matching solicitudes, instructors and programas; 0007 for a
-- solicitud's own text: a term of several words by its word pairs, any other by trigrams
-- across the spaces). The candidates (in any scope; an instructor's: their own) are read up
-- to :cap: `candidatos` = :cap means the term is common and the page incomplete (the caller
-- walks instead). They carry what the scope, the filters and the order need, so only the
-- page's rows are read again.
-- One row with a NULL id when nothing matched, so that `candidatos` always arrives.
WITH c AS MATERIALIZED (
    SELECT x.* FROM (
        SELECT s."id", s."createdAt", s."estado", s."programaId", s."instructorId",
               s."fechaSolicitud"
          FROM public.users mu  -- first: by instructor name, no text to fold
          JOIN public.solicitudes s ON s."instructorId" = mu."id"
         WHERE complementarias.texto_usuario(mu."name", mu."email", mu."cedula")
               LIKE complementarias.fold(:q)
           AND (:role <> 'INSTRUCTOR' OR s."instructorId" = :actor_id)
        UNION ALL
        SELECT s."id", s."createdAt", s."estado", s."programaId", s."instructorId",
               s."fechaSolicitud"
          FROM public.programas mp
          JOIN public.solicitudes s ON s."programaId" = mp."id"
         WHERE complementarias.texto_programa(mp."nombre", mp."codigo")
               LIKE complementarias.fold(:q)
           AND (:role <> 'INSTRUCTOR' OR s."instructorId" = :actor_id)
        UNION ALL
        SELECT s."id", s."createdAt", s."estado", s."programaId", s."instructorId",
               s."fechaSolicitud"
          FROM public.solicitudes s  -- a term with certain word pairs
         WHERE cardinality(complementarias.pares_termino(:texto)) > 0
           AND complementarias.pares_solicitud(s."codigo", s."numeroFicha", s."nombreEmpresa",
                                               s."responsableNombre", s."responsableCedula",
                                               s."responsableEmail")
               @> complementarias.pares_termino(:texto)
           AND (:role <> 'INSTRUCTOR' OR s."instructorId" = :actor_id)  -- their own only
           AND complementarias.solicitud_coincide(:q, s."codigo", s."numeroFicha",
                                                  s."nombreEmpresa", s."responsableNombre",
                                                  s."responsableCedula", s."responsableEmail")
        UNION ALL
        SELECT s."id", s."createdAt", s."estado", s."programaId", s."instructorId",
               s."fechaSolicitud"
          FROM public.solicitudes s  -- any other: trigrams across the spaces (exact)
         WHERE cardinality(complementarias.pares_termino(:texto)) = 0
           AND complementarias.frase_solicitud(s."codigo", s."numeroFicha", s."nombreEmpresa",
                                               s."responsableNombre", s."responsableCedula",
                                               s."responsableEmail")
               LIKE complementarias.frase_patron(:q)
           AND (:role <> 'INSTRUCTOR' OR s."instructorId" = :actor_id)
    ) x
    LIMIT :cap)
SELECT k.candidatos, page.*
  FROM (SELECT count(*) AS candidatos FROM c) k
  LEFT JOIN LATERAL (
    SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud",
           s."createdAt", s."updatedAt", s."instructorId", s."nombreEmpresa",
           s."municipio", s."numeroFicha", s."numeroAprendicesInscribir",
           s."duracionMaxima", s."fechaInicioCurso",
           p."nombre" AS programa_nombre, p."codigo" AS programa_codigo,
           u."name" AS instructor_nombre, c."codigo" AS centro_codigo, w.total
      FROM (SELECT * FROM (
                SELECT m."id", m."createdAt",
                       count(*) OVER () AS total  -- of every match, before the page is cut
                  FROM (SELECT DISTINCT * FROM c) m
                  JOIN public.programas mp ON mp."id" = m."programaId"
                 WHERE k.candidatos < :cap
                   AND complementarias.en_alcance(:role, :actor_id, :centro_id, :centro_filter,
                                                  m."instructorId", m."estado" = :borrador,
                                                  mp."centroId")
                   AND (:estado::text IS NULL
                        OR m."estado" = :estado::"public"."EstadoSolicitud")
                   AND (:programa_id::text IS NULL OR m."programaId" = :programa_id)
                   AND (:instructor_id::text IS NULL OR m."instructorId" = :instructor_id)
                   AND (:desde::timestamp IS NULL OR m."fechaSolicitud" >= :desde)
                   AND (:hasta::timestamp IS NULL OR m."fechaSolicitud" < :hasta)) v
             WHERE :after_ts::timestamp IS NULL OR ("createdAt", "id") < (:after_ts, :after_id)
             ORDER BY "createdAt" DESC, "id" DESC
             LIMIT :limit) w  -- the page, cut before its rows are read
      JOIN public.solicitudes s ON s."id" = w."id"
      JOIN public.programas p ON p."id" = s."programaId"
      JOIN public.centros c ON c."id" = p."centroId"
      JOIN public.users u ON u."id" = s."instructorId"
     ORDER BY w."createdAt" DESC, w."id" DESC) page ON true;

-- name: search_serial!
-- For the transaction of one search_solicitudes: no parallel workers. Its candidates are a
-- few hundred index entries; starting workers cost more (~20 ms on a busy machine for a
-- query whose work takes 0.3 ms).
SET LOCAL max_parallel_workers_per_gather = 0;

-- name: search_instructor
-- An instructor's search walked over their own rows only, newest first
-- (cx_solicitudes_instructor_created_idx backwards; at most a few thousand): it stops when
-- the page is full, and never reads another instructor's rows.
SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud", s."createdAt",
       s."updatedAt", s."instructorId", s."nombreEmpresa", s."municipio", s."numeroFicha",
       s."numeroAprendicesInscribir", s."duracionMaxima", s."fechaInicioCurso",
       p."nombre" AS programa_nombre, p."codigo" AS programa_codigo,
       u."name" AS instructor_nombre, c."codigo" AS centro_codigo
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.centros c ON c."id" = p."centroId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE s."instructorId" = :actor_id
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
   AND (s."instructorId" IN (SELECT id FROM complementarias.usuarios_coinciden(:q))
        OR s."programaId" IN (SELECT id FROM complementarias.programas_coinciden(:q))
        OR complementarias.solicitud_coincide(:q, s."codigo", s."numeroFicha", s."nombreEmpresa",
                                              s."responsableNombre", s."responsableCedula",
                                              s."responsableEmail"))
   AND (:after_ts::timestamp IS NULL OR (s."createdAt", s."id") < (:after_ts, :after_id))
 ORDER BY s."createdAt" DESC, s."id" DESC
 LIMIT :limit;

-- name: estimate_search_candidates$
-- The planner's estimate (EXPLAIN, nothing runs) of how many solicitudes a term could match in
-- any scope, from the statistics ANALYZE keeps on the indexed folded expressions: ~1 ms, where
-- counting the candidates of a common term reads 100 000 rows. It picks the plan:
-- search_solicitudes for a rare term, the newest-first walk for a common one.
-- A term of several words is estimated by its word pairs (ANALYZE keeps their most common
-- values: "carlos rodriguez" is estimated at 13 447 rows for 14 149, where its pattern gets
-- the default 100), any other by its pattern.
EXPLAIN (FORMAT JSON)
SELECT 1 FROM public.solicitudes s
 WHERE cardinality(complementarias.pares_termino(:texto)) > 0
   AND complementarias.pares_solicitud(s."codigo", s."numeroFicha", s."nombreEmpresa",
                                       s."responsableNombre", s."responsableCedula",
                                       s."responsableEmail")
       @> complementarias.pares_termino(:texto)
UNION ALL
SELECT 1 FROM public.solicitudes s
 WHERE cardinality(complementarias.pares_termino(:texto)) = 0
   AND complementarias.frase_solicitud(s."codigo", s."numeroFicha", s."nombreEmpresa",
                                       s."responsableNombre", s."responsableCedula",
                                       s."responsableEmail") LIKE complementarias.frase_patron(:q)
UNION ALL
SELECT 1 FROM public.users mu
  JOIN public.solicitudes s ON s."instructorId" = mu."id"
 WHERE complementarias.texto_usuario(mu."name", mu."email", mu."cedula")
       LIKE complementarias.fold(:q)
UNION ALL
SELECT 1 FROM public.programas mp
  JOIN public.solicitudes s ON s."programaId" = mp."id"
 WHERE complementarias.texto_programa(mp."nombre", mp."codigo") LIKE complementarias.fold(:q);

-- name: estimate_search_solicitudes$
-- The planner's estimate of how many rows a common term matches in the actor's scope (shown
-- as "≈ n"): counting them would read them all.
EXPLAIN (FORMAT JSON)
SELECT 1
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
 WHERE complementarias.en_alcance(:role, :actor_id, :centro_id, :centro_filter,
                                  s."instructorId", s."estado" = :borrador, p."centroId")
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
   AND (cardinality(complementarias.pares_termino(:texto)) > 0  -- as in the query above
        AND complementarias.pares_solicitud(s."codigo", s."numeroFicha", s."nombreEmpresa",
                                            s."responsableNombre", s."responsableCedula",
                                            s."responsableEmail")
            @> complementarias.pares_termino(:texto)
        OR cardinality(complementarias.pares_termino(:texto)) = 0
        AND complementarias.frase_solicitud(s."codigo", s."numeroFicha", s."nombreEmpresa",
                                            s."responsableNombre", s."responsableCedula",
                                            s."responsableEmail")
            LIKE complementarias.frase_patron(:q));

-- name: search_exact
-- Ranked first: the solicitudes in the actor's scope whose codigo, número de ficha or cédula
-- is exactly the text (case-insensitive codigo); `unica` when it is a codigo or ficha (each
-- names one solicitud).
SELECT s."id", s."codigo", s."estado"::text AS estado, s."fechaSolicitud", s."createdAt",
       s."updatedAt", s."instructorId", s."nombreEmpresa", s."municipio", s."numeroFicha",
       s."numeroAprendicesInscribir", s."duracionMaxima", s."fechaInicioCurso",
       p."nombre" AS programa_nombre, p."codigo" AS programa_codigo,
       u."name" AS instructor_nombre, c."codigo" AS centro_codigo,
       (s."codigo" = upper(:texto) OR s."numeroFicha" = :texto) AS unica
  FROM public.solicitudes s
  JOIN public.programas p ON p."id" = s."programaId"
  JOIN public.centros c ON c."id" = p."centroId"
  JOIN public.users u ON u."id" = s."instructorId"
 WHERE (s."codigo" = upper(:texto) OR s."numeroFicha" = :texto
        OR s."responsableCedula" = :texto)
   AND complementarias.en_alcance(:role, :actor_id, :centro_id, :centro_filter,
                                  s."instructorId", s."estado" = :borrador, p."centroId")
   AND (:estado::text IS NULL OR s."estado" = :estado::"public"."EstadoSolicitud")
   AND (:programa_id::text IS NULL OR s."programaId" = :programa_id)
   AND (:instructor_id::text IS NULL OR s."instructorId" = :instructor_id)
   AND (:desde::timestamp IS NULL OR s."fechaSolicitud" >= :desde)
   AND (:hasta::timestamp IS NULL OR s."fechaSolicitud" < :hasta)
 ORDER BY s."createdAt" DESC, s."id" DESC
 LIMIT 20;
