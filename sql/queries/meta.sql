-- Database-level checks used by migrations and the CLI.

-- name: create_app_schema#
CREATE SCHEMA IF NOT EXISTS complementarias;

-- name: public_tables_present$
-- True when the web app's tables already exist in public (a database made by prisma db push).
SELECT count(*) = 9
  FROM information_schema.tables
 WHERE table_schema = 'public'
   AND table_name IN ('users', 'centros', 'programas', 'objetivos_aprendizaje', 'competencias',
                      'resultados_aprendizaje', 'solicitudes', 'horarios_detallados',
                      'notificaciones');

-- name: applied_migrations
SELECT migration_id, applied_at_utc
  FROM complementarias._yoyo_migration
 ORDER BY applied_at_utc, migration_id;

-- name: migration_lock_holder
SELECT pid, ctime FROM complementarias.yoyo_lock;


-- name: public_has_data$
SELECT EXISTS (SELECT 1 FROM public.users) OR EXISTS (SELECT 1 FROM public.centros)
       OR EXISTS (SELECT 1 FROM public.solicitudes);

-- name: warm_start_state^
-- One round trip on every start: the applied migration ids, the cx_ indexes and the triggers
-- (the notification one, and the three summary ones with the summary not marked stale).
-- When they are all as expected, the start skips yoyo (and its import) entirely.
SELECT (SELECT array_agg(migration_id) FROM complementarias._yoyo_migration) AS applied,
       (SELECT array_agg(indexname::text) FROM pg_indexes
         WHERE schemaname = 'public' AND left(indexname, 3) = 'cx_') AS cx_indexes,
       EXISTS (SELECT 1 FROM pg_trigger
                WHERE tgname = 'cx_notificaciones_notify'
                  AND tgrelid = 'public.notificaciones'::regclass)
       AND (SELECT count(*) FROM pg_trigger
             WHERE tgrelid = 'public.solicitudes'::regclass
               AND tgname IN ('cx_solicitudes_resumen_ins', 'cx_solicitudes_resumen_upd',
                              'cx_solicitudes_resumen_del')) = 3
       AND NOT coalesce((SELECT stale FROM complementarias.resumen_estado), true) AS trigger_ok;

-- name: use_utc#
-- A pooled connection behind a transaction pooler, which refuses the `options` startup
-- parameter: TimeZone is one of the settings PgBouncer tracks per client and restores on
-- every server connection it lends, so this one SET holds for the client's whole life.
SET TimeZone TO 'UTC';
