-- SSH public keys a user registered in the app (schema complementarias), for `serve-ssh`.

-- name: ssh_keys_of
SELECT id, algorithm, fingerprint, comment, created_at, last_used_at
  FROM complementarias.ssh_keys
 WHERE user_id = :user_id
 ORDER BY created_at, id;

-- name: insert_ssh_key^
-- A key names one account only: a fingerprint already stored inserts nothing.
INSERT INTO complementarias.ssh_keys (user_id, algorithm, key_data, fingerprint, comment)
VALUES (:user_id, :algorithm, :key_data, :fingerprint, :comment)
ON CONFLICT (fingerprint) DO NOTHING
RETURNING id;

-- name: delete_ssh_key^
-- Only the owner removes a key.
DELETE FROM complementarias.ssh_keys
 WHERE id = :id AND user_id = :user_id
RETURNING id;

-- name: user_for_ssh_key^
-- The active account whose email is the SSH user name and which registered this key
-- (read only: a client may offer a key without proving it holds it).
SELECT u."id"
  FROM complementarias.ssh_keys k
  JOIN public.users u ON u."id" = k.user_id
 WHERE lower(u."email") = lower(:email)
   AND k.fingerprint = :fingerprint AND u."isActive";

-- name: touch_ssh_key!
-- The key's last use, once the client's signature was verified.
UPDATE complementarias.ssh_keys SET last_used_at = now()
 WHERE user_id = :user_id AND fingerprint = :fingerprint;
