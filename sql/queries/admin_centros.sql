-- Centros de formación (tui/services/centros.py).
-- Scope: every logged-in user reads the active centros; admins also the inactive ones and
-- are the only ones who write (checked in each WHERE as well as in the service).

-- name: admin_centro_list
-- A keyset page, with how many users and programas each centro has, in the order :orden
-- (tui/services/centros.py ORDENES): 'nombre' by (nombre, id), 'codigo' by (codigo, id)
-- along centros_codigo_key. The filtered set is written once (f); only :orden's branch runs.
WITH f AS NOT MATERIALIZED (
SELECT c."id", c."codigo", c."nombre", c."direccion", c."telefono", c."ciudad", c."region",
       c."isActive", c."createdAt", c."updatedAt",
       (SELECT count(*) FROM public.users u WHERE u."centroId" = c."id") AS usuarios,
       (SELECT count(*) FROM public.programas p WHERE p."centroId" = c."id") AS programas
  FROM public.centros c
 WHERE (:actor_role::text = 'ADMIN' OR c."isActive")
   AND (:activo::boolean IS NULL OR c."isActive" = :activo::boolean)
   AND (:q::text IS NULL OR complementarias.fold_all(c."nombre", c."codigo", c."ciudad", c."region")
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

-- name: admin_centro_count$
SELECT count(*)
  FROM public.centros c
 WHERE (:actor_role::text = 'ADMIN' OR c."isActive")
   AND (:activo::boolean IS NULL OR c."isActive" = :activo::boolean)
   AND (:q::text IS NULL OR complementarias.fold_all(c."nombre", c."codigo", c."ciudad", c."region")
                              LIKE complementarias.fold(:q::text));

-- name: admin_centro_get^
SELECT c."id", c."codigo", c."nombre", c."direccion", c."telefono", c."ciudad", c."region",
       c."isActive", c."createdAt", c."updatedAt",
       (SELECT count(*) FROM public.users u WHERE u."centroId" = c."id") AS usuarios,
       (SELECT count(*) FROM public.programas p WHERE p."centroId" = c."id") AS programas
  FROM public.centros c
 WHERE c."id" = :id AND (:actor_role::text = 'ADMIN' OR c."isActive");

-- name: admin_centro_by_codigo^
-- For the CLI (no logged-in user): codes are compared without case.
SELECT c."id", c."codigo", c."nombre", c."isActive"
  FROM public.centros c
 WHERE upper(c."codigo") = upper(:codigo::text)
 ORDER BY (c."codigo" = :codigo::text) DESC
 LIMIT 1;

-- name: admin_centro_codigos
-- Every centro code, for the CLI's "which centros exist" message.
SELECT "codigo" FROM public.centros ORDER BY "codigo";

-- name: admin_centro_codigo_taken$
SELECT EXISTS (SELECT 1 FROM public.centros
                WHERE upper("codigo") = upper(:codigo::text)
                  AND "id" <> coalesce(:exclude_id::text, ''));

-- name: admin_centro_insert^
INSERT INTO public.centros ("id", "nombre", "codigo", "direccion", "telefono", "ciudad",
                            "region", "isActive", "createdAt", "updatedAt")
SELECT :id::text, :nombre::text, :codigo::text, :direccion::text, :telefono::text,
       :ciudad::text, :region::text, true, :now, :now
 WHERE :actor_role::text = 'ADMIN'
RETURNING "id";

-- name: admin_centro_update^
UPDATE public.centros SET
    "nombre" = :nombre::text,
    "codigo" = :codigo::text,
    "direccion" = :direccion::text,
    "telefono" = :telefono::text,
    "ciudad" = :ciudad::text,
    "region" = :region::text,
    "updatedAt" = :now
 WHERE "id" = :id AND :actor_role::text = 'ADMIN'
   AND (:expected_updated_at::timestamp IS NULL
        OR "updatedAt" = :expected_updated_at::timestamp)
RETURNING "id";

-- name: admin_centro_set_active^
UPDATE public.centros SET "isActive" = :active::boolean, "updatedAt" = :now
 WHERE "id" = :id AND :actor_role::text = 'ADMIN'
RETURNING "id";
