-- One-time tickets that hand an SSH-authenticated user to the TUI process serving them.

-- name: insert_session_ticket!
INSERT INTO complementarias.session_tickets (token_hash, user_id, source, expires_at)
VALUES (:token_hash, :user_id, :source, now() + make_interval(secs => :ttl_s));

-- name: redeem_session_ticket^
-- Used once: the row is gone after the first redemption; expired tickets never redeem.
DELETE FROM complementarias.session_tickets
 WHERE token_hash = :token_hash
RETURNING user_id, source, expires_at > now() AS valid;

-- name: purge_session_tickets!
DELETE FROM complementarias.session_tickets WHERE expires_at <= now();
