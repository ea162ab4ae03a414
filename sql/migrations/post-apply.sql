-- Runs after every `complementarias migrate`, idempotent. It re-creates what `prisma db push`
-- from the web project drops because Prisma does not know it: our cx_ indexes (SCHEMA.md
-- section 6; each one's query is in the README) and the live-notification trigger.

CREATE INDEX IF NOT EXISTS "cx_solicitudes_instructor_created_idx" ON "public"."solicitudes" ("instructorId", "createdAt");
CREATE INDEX IF NOT EXISTS "cx_solicitudes_instructor_estado_created_idx" ON "public"."solicitudes" ("instructorId", "estado", "createdAt");
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

-- Search and summaries (0004_search_summaries), once that migration is applied.
DO $$
DECLARE
    analizar boolean;
BEGIN
    IF to_regclass('complementarias.resumen_solicitudes') IS NULL THEN
        RETURN;
    END IF;
    IF pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('256MB') THEN
        SET LOCAL maintenance_work_mem = '256MB';  -- the caller's may be higher (seed)
    END IF;
    -- Statistics on the folded expressions (ANALYZE keeps them once the index exists) let the
    -- search estimate how common a term is: gathered when an index is (re)created below.
    analizar := to_regclass('"public"."cx_users_busqueda_trgm_idx"') IS NULL
             OR to_regclass('"public"."cx_programas_busqueda_trgm_idx"') IS NULL;
    -- Trigram indexes on the accent- and case-folded search text (README, "Indexes (cx_)").
    CREATE INDEX IF NOT EXISTS "cx_users_busqueda_trgm_idx" ON "public"."users" USING gin (complementarias.fold_all("name", "email", "cedula") complementarias.gin_trgm_ops);
    CREATE INDEX IF NOT EXISTS "cx_programas_busqueda_trgm_idx" ON "public"."programas" USING gin (complementarias.fold_all("nombre", "codigo") complementarias.gin_trgm_ops);
    -- A solicitud's text with the spaces inside its trigrams, and its neighbouring-word pairs
    -- (0007_rare_search), once that migration is applied (after a failed later migration
    -- this runs without it).
    IF to_regprocedure('complementarias.pares_solicitud(text, text, text, text, text, text)')
       IS NOT NULL THEN
        analizar := analizar OR to_regclass('"public"."cx_solicitudes_frase_trgm_idx"') IS NULL
                             OR to_regclass('"public"."cx_solicitudes_pares_idx"') IS NULL;
        CREATE INDEX IF NOT EXISTS "cx_solicitudes_frase_trgm_idx" ON "public"."solicitudes" USING gin (complementarias.frase_solicitud("codigo", "numeroFicha", "nombreEmpresa", "responsableNombre", "responsableCedula", "responsableEmail") complementarias.gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS "cx_solicitudes_pares_idx" ON "public"."solicitudes" USING gin (complementarias.pares_solicitud("codigo", "numeroFicha", "nombreEmpresa", "responsableNombre", "responsableCedula", "responsableEmail"));
    END IF;
    IF analizar THEN
        ANALYZE "public"."solicitudes", "public"."users", "public"."programas";
    END IF;
    CREATE INDEX IF NOT EXISTS "cx_solicitudes_cedula_idx" ON "public"."solicitudes" ("responsableCedula");
    -- Open solicitudes oldest first (the review queue of every centro).
    CREATE INDEX IF NOT EXISTS "cx_solicitudes_cola_idx" ON "public"."solicitudes" ("fechaSolicitud", "id") INCLUDE ("programaId") WHERE "estado" IN ('PENDIENTE', 'EN_REVISION');
    CREATE INDEX IF NOT EXISTS "cx_solicitudes_estado_fecha_idx" ON "public"."solicitudes" ("estado", "fechaSolicitud");
    -- Sent solicitudes by date with what an informe of a free range aggregates (index-only).
    CREATE INDEX IF NOT EXISTS "cx_solicitudes_informe_idx" ON "public"."solicitudes" ("fechaSolicitud") INCLUDE ("estado", "programaId", "instructorId", "fechaRevision", "fechaAprobacion", "numeroAprendicesInscribir", "duracionMaxima");
    CREATE INDEX IF NOT EXISTS "cx_solicitudes_estado_aprobacion_idx" ON "public"."solicitudes" ("estado", "fechaAprobacion");
    -- Summary triggers: rebuild first when writes may have been missed or counts differ.
    IF complementarias.resumen_stale() THEN
        PERFORM complementarias.resumen_rebuild();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'cx_solicitudes_resumen_ins'
                      AND tgrelid = '"public"."solicitudes"'::regclass) THEN
        CREATE TRIGGER "cx_solicitudes_resumen_ins" AFTER INSERT ON "public"."solicitudes"
            REFERENCING NEW TABLE AS nuevas
            FOR EACH STATEMENT EXECUTE FUNCTION complementarias.resumen_trigger();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'cx_solicitudes_resumen_upd'
                      AND tgrelid = '"public"."solicitudes"'::regclass) THEN
        CREATE TRIGGER "cx_solicitudes_resumen_upd" AFTER UPDATE ON "public"."solicitudes"
            REFERENCING OLD TABLE AS viejas NEW TABLE AS nuevas
            FOR EACH STATEMENT EXECUTE FUNCTION complementarias.resumen_trigger();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'cx_solicitudes_resumen_del'
                      AND tgrelid = '"public"."solicitudes"'::regclass) THEN
        CREATE TRIGGER "cx_solicitudes_resumen_del" AFTER DELETE ON "public"."solicitudes"
            REFERENCING OLD TABLE AS viejas
            FOR EACH STATEMENT EXECUTE FUNCTION complementarias.resumen_trigger();
    END IF;
END
$$;
