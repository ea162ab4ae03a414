-- Runs after every `complementarias migrate`, idempotent. It re-creates what `prisma db push`
-- from the web project drops because Prisma does not know it: our cx_ indexes (SCHEMA.md
-- section 6; each one's query is in the README) and the live-notification trigger.

CREATE INDEX IF NOT EXISTS "cx_solicitudes_instructor_created_idx" ON "public"."solicitudes" ("instructorId", "createdAt");
CREATE INDEX IF NOT EXISTS "cx_solicitudes_programa_estado_created_idx" ON "public"."solicitudes" ("programaId", "estado", "createdAt");
CREATE INDEX IF NOT EXISTS "cx_solicitudes_programa_tablero_idx" ON "public"."solicitudes" ("programaId", "estado", "fechaSolicitud", "fechaAprobacion", "fechaRevision", "numeroAprendicesInscribir", "duracionMaxima");
CREATE INDEX IF NOT EXISTS "cx_solicitudes_estado_created_idx" ON "public"."solicitudes" ("estado", "createdAt");
CREATE INDEX IF NOT EXISTS "cx_solicitudes_created_idx" ON "public"."solicitudes" ("createdAt");
CREATE INDEX IF NOT EXISTS "cx_horarios_solicitud_idx" ON "public"."horarios_detallados" ("solicitudId");
CREATE INDEX IF NOT EXISTS "cx_notificaciones_usuario_fecha_idx" ON "public"."notificaciones" ("usuarioId", "fechaCreada");
CREATE INDEX IF NOT EXISTS "cx_notificaciones_usuario_leida_idx" ON "public"."notificaciones" ("usuarioId", "leida");
CREATE INDEX IF NOT EXISTS "cx_notificaciones_solicitud_idx" ON "public"."notificaciones" ("solicitudId");
CREATE INDEX IF NOT EXISTS "cx_users_centro_role_idx" ON "public"."users" ("centroId", "role");
CREATE INDEX IF NOT EXISTS "cx_programas_centro_idx" ON "public"."programas" ("centroId");
CREATE INDEX IF NOT EXISTS "cx_objetivos_programa_orden_idx" ON "public"."objetivos_aprendizaje" ("programaId", "orden");
CREATE INDEX IF NOT EXISTS "cx_competencias_programa_idx" ON "public"."competencias" ("programaId");
CREATE INDEX IF NOT EXISTS "cx_resultados_programa_idx" ON "public"."resultados_aprendizaje" ("programaId");

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgname = 'cx_notificaciones_notify'
                     AND tgrelid = '"public"."notificaciones"'::regclass) THEN
        CREATE TRIGGER "cx_notificaciones_notify" AFTER INSERT ON "public"."notificaciones"
            FOR EACH ROW EXECUTE FUNCTION complementarias.notify_notificacion();
    END IF;
END
$$;
