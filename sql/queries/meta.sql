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
