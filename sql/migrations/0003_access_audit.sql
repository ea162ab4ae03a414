-- SSH access with the app's own accounts, and an append-only audit trail.
-- Schema complementarias (yoyo's search_path); public stays exactly Prisma's.
-- depends: 0002_app_schema

-- Public keys a user registered in the app, for `serve-ssh`. A key belongs to one user only,
-- so a key always names exactly one account.
CREATE TABLE ssh_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES "public"."users"("id") ON DELETE CASCADE,
    algorithm    TEXT NOT NULL,
    key_data     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL UNIQUE,
    comment      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ
);
CREATE INDEX ssh_keys_user_idx ON ssh_keys (user_id);

-- One-time tickets: the SSH server authenticates a user, stores the hash of a random ticket
-- here and hands the ticket to the TUI process it starts, which redeems it once.
CREATE TABLE session_tickets (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES "public"."users"("id") ON DELETE CASCADE,
    source     TEXT NOT NULL DEFAULT '',
    expires_at TIMESTAMPTZ NOT NULL
);

-- Append-only audit trail: logins, user and role changes, transitions, exports, imports,
-- migrations. No foreign key: an entry outlives the user it names.
CREATE TABLE audit (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id    TEXT,
    actor_email TEXT,
    action      TEXT NOT NULL,
    target      TEXT,
    detail      JSONB NOT NULL DEFAULT '{}'::jsonb,
    source      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at_idx ON audit (at DESC, id DESC);
CREATE INDEX audit_action_idx ON audit (action, at DESC);
CREATE INDEX audit_actor_idx ON audit (actor_id, at DESC);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'la auditoría solo admite nuevas entradas (%)', TG_OP;
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
