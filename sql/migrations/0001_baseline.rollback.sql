-- Removes the web app's tables, but only while they hold no data: rolling back the baseline of
-- a database in use would destroy official records. Never drops the public schema itself.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM "public"."solicitudes")
       OR EXISTS (SELECT 1 FROM "public"."users")
       OR EXISTS (SELECT 1 FROM "public"."centros") THEN
        RAISE EXCEPTION 'La base de datos tiene datos: no se revierte la migración base (borraría registros oficiales)';
    END IF;
END
$$;

DROP TABLE "public"."notificaciones";
DROP TABLE "public"."horarios_detallados";
DROP TABLE "public"."solicitudes";
DROP TABLE "public"."resultados_aprendizaje";
DROP TABLE "public"."competencias";
DROP TABLE "public"."objetivos_aprendizaje";
DROP TABLE "public"."programas";
DROP TABLE "public"."users";
DROP TABLE "public"."centros";
DROP TYPE "public"."TipoNotificacion";
DROP TYPE "public"."DiaSemana";
DROP TYPE "public"."EstadoSolicitud";
DROP TYPE "public"."Modalidad";
DROP TYPE "public"."TipoFormacion";
DROP TYPE "public"."Role";
