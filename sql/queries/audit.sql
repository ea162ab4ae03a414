-- The append-only audit trail (complementarias.audit, migration 0003). Only INSERT and SELECT:
-- a trigger refuses UPDATE, DELETE and TRUNCATE.

-- name: audit_insert!
-- One entry; `at` is the transaction's time, so an entry written inside a service's
-- transaction commits (or rolls back) with it. The actor's e-mail is the one stored now for
-- the account (the given one only names who tried without an account: a failed login).
INSERT INTO complementarias.audit (actor_id, actor_email, action, target, detail, source)
VALUES (:actor_id::text,
        coalesce((SELECT u."email" FROM public.users u WHERE u."id" = :actor_id::text),
                 :actor_email::text),
        :action, :target, :detail::jsonb, :source);

-- name: audit_table_exists$
-- Whether the audit table exists (migrations may have been rolled back below 0003).
SELECT to_regclass('complementarias.audit') IS NOT NULL;

-- name: audit_has_entries$
-- Whether the audit trail holds any entry (then migration 0003 is never rolled back).
SELECT EXISTS (SELECT 1 FROM complementarias.audit);

-- name: audit_search
-- A keyset page by (at, id) in the order :orden (tui/services/audit.py ORDENES): 'recientes'
-- newest first, 'antiguas' oldest first, both along audit_at_idx. Every filter is optional:
-- the exact action, the actor's email (substring), a text searched in actor, target and
-- detail, and a date range of Bogotá calendar days (inclusive). The filtered set is written
-- once (f); only :orden's branch runs.
WITH f AS NOT MATERIALIZED (
SELECT a.id, a.at, a.actor_id, a.actor_email, a.action, a.target, a.detail, a.source
  FROM complementarias.audit a
 WHERE (:action::text IS NULL OR a.action = :action::text)
   AND (:actor::text IS NULL OR a.actor_email ILIKE :actor::text)
   AND (:q::text IS NULL OR a.actor_email ILIKE :q::text OR a.target ILIKE :q::text
        OR a.detail::text ILIKE :q::text OR a.source ILIKE :q::text)
   AND (:desde::date IS NULL OR a.at >= (:desde::date)::timestamp AT TIME ZONE 'America/Bogota')
   AND (:hasta::date IS NULL
        OR a.at < (:hasta::date + 1)::timestamp AT TIME ZONE 'America/Bogota'))
(SELECT * FROM f
  WHERE :orden::text = 'recientes'
    AND (:after_at::timestamptz IS NULL OR (at, id) < (:after_at::timestamptz, :after_id::bigint))
  ORDER BY at DESC, id DESC
  LIMIT :limit)
UNION ALL
(SELECT * FROM f
  WHERE :orden::text = 'antiguas'
    AND (:after_at::timestamptz IS NULL OR (at, id) > (:after_at::timestamptz, :after_id::bigint))
  ORDER BY at, id
  LIMIT :limit);

-- name: audit_count$
-- The exact total of the same filtered set as audit_search.
SELECT count(*)
  FROM complementarias.audit a
 WHERE (:action::text IS NULL OR a.action = :action::text)
   AND (:actor::text IS NULL OR a.actor_email ILIKE :actor::text)
   AND (:q::text IS NULL OR a.actor_email ILIKE :q::text OR a.target ILIKE :q::text
        OR a.detail::text ILIKE :q::text OR a.source ILIKE :q::text)
   AND (:desde::date IS NULL OR a.at >= (:desde::date)::timestamp AT TIME ZONE 'America/Bogota')
   AND (:hasta::date IS NULL
        OR a.at < (:hasta::date + 1)::timestamp AT TIME ZONE 'America/Bogota');
