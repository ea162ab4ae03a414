-- Demo data (seeds/demo.json). Every insert skips rows that already exist, by natural key,
-- and says whether it created the row, so that `complementarias seed` is idempotent.

-- name: seed_centro^
WITH ins AS (
    INSERT INTO public.centros ("id", "nombre", "codigo", "direccion", "telefono", "ciudad",
                                "region", "updatedAt")
    VALUES (:id, :nombre, :codigo, :direccion, :telefono, :ciudad, :region, :now)
    ON CONFLICT DO NOTHING
    RETURNING "id"
)
SELECT "id", true AS created FROM ins
UNION ALL
SELECT "id", false FROM public.centros WHERE "codigo" = :codigo
LIMIT 1;

-- name: seed_user^
WITH ins AS (
    INSERT INTO public.users ("id", "email", "password", "name", "cedula", "telefono", "role",
                              "centroId", "especialidad", "updatedAt")
    VALUES (:id, :email, :password, :name, :cedula, :telefono, :role::"public"."Role",
            :centro_id, :especialidad, :now)
    ON CONFLICT DO NOTHING
    RETURNING "id"
)
SELECT "id", true AS created FROM ins
UNION ALL
SELECT "id", false FROM public.users WHERE "email" = :email
LIMIT 1;

-- name: seed_programa^
WITH ins AS (
    INSERT INTO public.programas ("id", "codigo", "nombre", "tipoFormacion", "modalidad",
                                  "duracionHoras", "cupoAprendices", "descripcion", "centroId",
                                  "updatedAt")
    VALUES (:id, :codigo, :nombre, :tipo_formacion::"public"."TipoFormacion",
            :modalidad::"public"."Modalidad", :duracion_horas, :cupo_aprendices, :descripcion,
            :centro_id, :now)
    ON CONFLICT DO NOTHING
    RETURNING "id"
)
SELECT "id", true AS created FROM ins
UNION ALL
SELECT "id", false FROM public.programas WHERE "codigo" = :codigo
LIMIT 1;

-- name: solicitud_id_by_codigo$
SELECT "id" FROM public.solicitudes WHERE "codigo" = :codigo;

-- name: seed_notificacion!
INSERT INTO public.notificaciones ("id", "tipo", "titulo", "mensaje", "leida", "fechaCreada",
                                   "usuarioId", "solicitudId")
SELECT :id, :tipo::"public"."TipoNotificacion", :titulo, :mensaje, :leida, :fecha,
       :usuario_id, :solicitud_id
 WHERE NOT EXISTS (SELECT 1 FROM public.notificaciones
                    WHERE "usuarioId" = :usuario_id AND "titulo" = :titulo
                      AND "mensaje" = :mensaje);

-- name: seed_historial!
-- One history row of a demo solicitud, at the date of the step it records.
INSERT INTO complementarias.historial (solicitud_id, actor_id, actor_nombre, accion,
                                       estado_desde, estado_hasta, comentario, creado_en)
VALUES (:solicitud_id, :actor_id, :actor_nombre, :accion, :estado_desde, :estado_hasta,
        :comentario, :creado_en);
