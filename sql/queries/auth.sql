-- Login attempts and lockout (schema complementarias), shared by every front-end.

-- name: record_login_attempt!
INSERT INTO complementarias.login_attempts (email, source, success)
VALUES (lower(:email), :source, :success);

-- name: recent_failures^
-- Failures since the last success, within the window, per account and per source.
SELECT
    (SELECT count(*) FROM complementarias.login_attempts a
      WHERE a.email = lower(:email) AND NOT a.success
        AND a.at > now() - make_interval(secs => :window_s)
        AND a.at > coalesce((SELECT max(b.at) FROM complementarias.login_attempts b
                              WHERE b.email = lower(:email) AND b.success), '-infinity'))
        AS by_email,
    (SELECT count(*) FROM complementarias.login_attempts a
      WHERE a.source = :source AND NOT a.success
        AND a.at > now() - make_interval(secs => :window_s)) AS by_source,
    (SELECT max(a.at) FROM complementarias.login_attempts a
      WHERE a.email = lower(:email) AND NOT a.success) AS last_failure;

-- name: common_hash_cost$
-- The bcrypt cost ("10", "12") most stored hashes have: the dummy hash verified for unknown
-- emails has the same, so the answer's time does not tell whether an email exists.
SELECT substring(u."password" FROM 5 FOR 2)
  FROM public.users u
 WHERE u."password" ~ '^\$2[aby]\$[0-9]{2}\$'
 GROUP BY 1
 ORDER BY count(*) DESC, 1 DESC
 LIMIT 1;
