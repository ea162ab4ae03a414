-- Programas administration and reading (tui/services/programas.py). The inserts of objetivos,
-- competencias and resultados are in programas.sql (shared with the seeds).
--
-- Scope, repeated in every WHERE (the service checks it too):
--   ADMIN        every programa;
--   COORDINADOR  the programas of their own centro (read and write);
--   INSTRUCTOR   the active programas of their own centro (read only).

-- name: admin_programa_list
-- A keyset page of the programas in the actor's scope, filtered, in the order :orden
-- (tui/services/programas.py ORDENES): 'nombre' by (nombre, id), 'codigo' by (codigo, id)
-- along programas_codigo_key. The filtered set is written once (f); only :orden's branch
-- runs.
WITH f AS NOT MATERIALIZED (
SELECT p."id", p."codigo", p."nombre", p."tipoFormacion"::text AS "tipoFormacion",
       p."modalidad"::text AS "modalidad", p."duracionHoras", p."cupoAprendices",
       p."descripcion", p."centroId", c."codigo" AS centro_codigo, c."nombre" AS centro_nombre,
       p."isActive", p."createdAt", p."updatedAt"
  FROM public.programas p
  JOIN public.centros c ON c."id" = p."centroId"
 WHERE CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN p."centroId" = :actor_centro::text
         WHEN 'INSTRUCTOR' THEN p."centroId" = :actor_centro::text AND p."isActive"
         ELSE false
       END
   AND (:centro_id::text IS NULL OR p."centroId" = :centro_id::text)
   AND (:activo::boolean IS NULL OR p."isActive" = :activo::boolean)
   AND (:tipo::text IS NULL OR p."tipoFormacion" = :tipo::"public"."TipoFormacion")
   AND (:q::text IS NULL OR complementarias.texto_programa(p."nombre", p."codigo")
                              LIKE complementarias.fold(:q::text)))
(SELECT * FROM f
  WHERE :orden::text = 'nombre'
    AND (:after_name::text IS NULL OR ("nombre", "id") > (:after_name::text, :after_id::text))
  ORDER BY "nombre", "id"
  LIMIT :limit)
UNION ALL
(SELECT * FROM f
  WHERE :orden::text = 'codigo'
    AND (:after_name::text IS NULL OR ("codigo", "id") > (:after_name::text, :after_id::text))
  ORDER BY "codigo", "id"
  LIMIT :limit);

-- name: admin_programa_count$
SELECT count(*)
  FROM public.programas p
 WHERE CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN p."centroId" = :actor_centro::text
         WHEN 'INSTRUCTOR' THEN p."centroId" = :actor_centro::text AND p."isActive"
         ELSE false
       END
   AND (:centro_id::text IS NULL OR p."centroId" = :centro_id::text)
   AND (:activo::boolean IS NULL OR p."isActive" = :activo::boolean)
   AND (:tipo::text IS NULL OR p."tipoFormacion" = :tipo::"public"."TipoFormacion")
   AND (:q::text IS NULL OR complementarias.texto_programa(p."nombre", p."codigo")
                              LIKE complementarias.fold(:q::text));

-- name: admin_programa_picker
-- The solicitud form's picker: active COMPLEMENTARIA programas of the actor's centro.
SELECT p."id", p."codigo", p."nombre", p."tipoFormacion"::text AS "tipoFormacion",
       p."modalidad"::text AS "modalidad", p."duracionHoras", p."cupoAprendices",
       p."descripcion", p."centroId", c."codigo" AS centro_codigo, c."nombre" AS centro_nombre,
       p."isActive", p."createdAt", p."updatedAt"
  FROM public.programas p
  JOIN public.centros c ON c."id" = p."centroId"
 WHERE p."centroId" = :actor_centro::text AND p."isActive"
   AND p."tipoFormacion" = 'COMPLEMENTARIA'
   AND (:q::text IS NULL OR complementarias.texto_programa(p."nombre", p."codigo")
                              LIKE complementarias.fold(:q::text))
 ORDER BY p."nombre", p."id";

-- name: admin_programa_get^
SELECT p."id", p."codigo", p."nombre", p."tipoFormacion"::text AS "tipoFormacion",
       p."modalidad"::text AS "modalidad", p."duracionHoras", p."cupoAprendices",
       p."descripcion", p."centroId", c."codigo" AS centro_codigo, c."nombre" AS centro_nombre,
       p."isActive", p."createdAt", p."updatedAt"
  FROM public.programas p
  JOIN public.centros c ON c."id" = p."centroId"
 WHERE p."id" = :id
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN p."centroId" = :actor_centro::text
         WHEN 'INSTRUCTOR' THEN p."centroId" = :actor_centro::text AND p."isActive"
         ELSE false
       END;

-- name: admin_programa_lock^
-- The programa a write works on, if the actor may manage it; locked until the transaction ends.
SELECT p."id", p."centroId", p."updatedAt"
  FROM public.programas p
 WHERE p."id" = :id
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN p."centroId" = :actor_centro::text
         ELSE false
       END
   FOR UPDATE;

-- name: admin_programa_objetivos
SELECT "id", "orden", "descripcion" FROM public.objetivos_aprendizaje
 WHERE "programaId" = :programa_id
 ORDER BY "orden", "id";

-- name: admin_programa_competencias
SELECT "id", "codigo", "descripcion" FROM public.competencias
 WHERE "programaId" = :programa_id
 ORDER BY "codigo" NULLS LAST, "id";

-- name: admin_programa_resultados
SELECT "id", "codigo", "descripcion" FROM public.resultados_aprendizaje
 WHERE "programaId" = :programa_id
 ORDER BY "codigo" NULLS LAST, "id";

-- name: admin_programa_delete_objetivos!
DELETE FROM public.objetivos_aprendizaje WHERE "programaId" = :programa_id;

-- name: admin_programa_delete_competencias!
DELETE FROM public.competencias WHERE "programaId" = :programa_id;

-- name: admin_programa_delete_resultados!
DELETE FROM public.resultados_aprendizaje WHERE "programaId" = :programa_id;

-- name: admin_programa_codigo_taken$
SELECT EXISTS (SELECT 1 FROM public.programas
                WHERE upper("codigo") = upper(:codigo::text)
                  AND "id" <> coalesce(:exclude_id::text, ''));

-- name: admin_programa_insert^
-- No row when the actor may not create programas in this centro.
INSERT INTO public.programas ("id", "codigo", "nombre", "tipoFormacion", "modalidad",
                              "duracionHoras", "cupoAprendices", "descripcion", "centroId",
                              "isActive", "createdAt", "updatedAt")
SELECT :id::text, :codigo::text, :nombre::text, :tipo_formacion::"public"."TipoFormacion",
       :modalidad::"public"."Modalidad", :duracion_horas::integer, :cupo_aprendices::integer,
       :descripcion::text, :centro_id::text, true, :now, :now
 WHERE :actor_role::text = 'ADMIN'
    OR (:actor_role::text = 'COORDINADOR' AND :centro_id::text = :actor_centro::text)
RETURNING "id";

-- name: admin_programa_update^
-- Coordinators: only programas of their centro, which stay in it.
UPDATE public.programas p SET
    "codigo" = :codigo::text,
    "nombre" = :nombre::text,
    "tipoFormacion" = :tipo_formacion::"public"."TipoFormacion",
    "modalidad" = :modalidad::"public"."Modalidad",
    "duracionHoras" = :duracion_horas::integer,
    "cupoAprendices" = :cupo_aprendices::integer,
    "descripcion" = :descripcion::text,
    "centroId" = :centro_id::text,
    "updatedAt" = :now
 WHERE p."id" = :id
   AND (:expected_updated_at::timestamp IS NULL
        OR p."updatedAt" = :expected_updated_at::timestamp)
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN p."centroId" = :actor_centro::text
                                 AND :centro_id::text = :actor_centro::text
         ELSE false
       END
RETURNING p."id";

-- name: admin_programa_set_active^
UPDATE public.programas p SET "isActive" = :active::boolean, "updatedAt" = :now
 WHERE p."id" = :id
   AND CASE :actor_role::text
         WHEN 'ADMIN' THEN true
         WHEN 'COORDINADOR' THEN p."centroId" = :actor_centro::text
         ELSE false
       END
RETURNING p."id";

-- name: admin_programa_touch!
-- The contenido changed: the programa's updatedAt moves (optimistic locking sees it).
UPDATE public.programas SET "updatedAt" = :now WHERE "id" = :id;
