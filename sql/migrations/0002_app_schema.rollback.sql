DROP FUNCTION notify_notificacion() CASCADE;
DROP TABLE counters;
DROP TABLE user_state;
DROP TABLE login_attempts;
DROP TABLE historial;
