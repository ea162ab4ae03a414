-- The audit trail is append-only: it is never dropped while it holds entries (as the
-- baseline's rollback refuses while the web app's tables hold data).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit) THEN
        RAISE EXCEPTION 'La auditoría tiene entradas: no se revierte la migración 0003_access_audit (la auditoría solo admite nuevas entradas)';
    END IF;
END
$$;

DROP TABLE audit;
DROP FUNCTION audit_append_only();
DROP TABLE session_tickets;
DROP TABLE ssh_keys;
