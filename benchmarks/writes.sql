-- The write benchmark: the web app's statement shapes (Prisma's create and update of one
-- solicitud), with and without our summary triggers and the indexes of 0004 and later.

-- name: drop_summary_triggers_and_search_indexes#
-- Inside the measuring transaction only (rolled back afterwards).
DROP TRIGGER "cx_solicitudes_resumen_ins" ON public.solicitudes;
DROP TRIGGER "cx_solicitudes_resumen_upd" ON public.solicitudes;
DROP TRIGGER "cx_solicitudes_resumen_del" ON public.solicitudes;
DROP INDEX public."cx_solicitudes_frase_trgm_idx";
DROP INDEX public."cx_solicitudes_pares_idx";
DROP INDEX public."cx_solicitudes_cedula_idx";
DROP INDEX public."cx_solicitudes_cola_idx";
DROP INDEX public."cx_solicitudes_informe_idx";
DROP INDEX public."cx_solicitudes_estado_fecha_idx";
DROP INDEX public."cx_solicitudes_estado_aprobacion_idx";

-- name: web_insert_copy!
-- prisma.solicitud.create: one INSERT of every column (here copied from an existing row).
INSERT INTO public.solicitudes
SELECT (jsonb_populate_record(NULL::public.solicitudes, to_jsonb(s) || jsonb_build_object(
        'id', :id::text, 'codigo', :codigo::text, 'numeroFicha', NULL, 'estado', 'PENDIENTE',
        'createdAt', now() AT TIME ZONE 'UTC', 'updatedAt', now() AT TIME ZONE 'UTC'))).*
  FROM public.solicitudes s WHERE s."id" = :source;

-- name: web_update_estado!
-- prisma.solicitud.update: the estado and its dates.
UPDATE public.solicitudes
   SET "estado" = 'APROBADA', "fechaAprobacion" = now() AT TIME ZONE 'UTC',
       "numeroFicha" = :ficha, "updatedAt" = now() AT TIME ZONE 'UTC'
 WHERE "id" = :id;

-- name: some_sent_solicitud$
SELECT "id" FROM public.solicitudes WHERE "estado" = 'APROBADA' ORDER BY "createdAt" DESC
 LIMIT 1;
