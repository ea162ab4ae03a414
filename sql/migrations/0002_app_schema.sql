-- Tables only the terminal app uses. They live in schema complementarias (the search_path
-- yoyo sets), never in public, so the web app's schema stays exactly Prisma's.
-- depends: 0001_baseline

-- One row per transition or edit of a solicitud: who, when, from, to, why.
CREATE TABLE historial (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    solicitud_id TEXT NOT NULL REFERENCES "public"."solicitudes"("id") ON DELETE CASCADE,
    actor_id     TEXT,
    actor_nombre TEXT NOT NULL,
    accion       TEXT NOT NULL,
    estado_desde TEXT,
    estado_hasta TEXT,
    comentario   TEXT,
    creado_en    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX historial_solicitud_idx ON historial (solicitud_id, creado_en);

-- Login attempts, for lockout per account and per source.
CREATE TABLE login_attempts (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     TEXT NOT NULL,
    source    TEXT NOT NULL,
    success   BOOLEAN NOT NULL,
    at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, at);
CREATE INDEX login_attempts_source_idx ON login_attempts (source, at);

-- Account state the web app has no column for.
CREATE TABLE user_state (
    user_id              TEXT PRIMARY KEY REFERENCES "public"."users"("id") ON DELETE CASCADE,
    must_change_password BOOLEAN NOT NULL DEFAULT false,
    password_changed_at  TIMESTAMPTZ
);

-- Race-free numbering: one row per calendar year (Bogotá time) and kind.
CREATE TABLE counters (
    kind  TEXT NOT NULL,
    year  INTEGER NOT NULL,
    last  BIGINT NOT NULL,
    PRIMARY KEY (kind, year)
);

-- Live notifications: the trigger itself is (re)created by post-apply.sql.
CREATE FUNCTION notify_notificacion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cx_notificaciones', NEW."usuarioId" || ' ' || NEW."id");
    RETURN NULL;
END
$$;
