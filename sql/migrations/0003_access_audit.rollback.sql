DROP TABLE audit;
DROP FUNCTION audit_append_only();
DROP TABLE session_tickets;
DROP TABLE ssh_keys;
