-- Race-free yearly numbering (codigo SOL-YYYY-N, numeroFicha YYYYNNNN) in
-- complementarias.counters: the counter row is locked by the UPDATE until the caller's
-- transaction ends, so concurrent callers get consecutive numbers.

-- name: bump_counter$
UPDATE complementarias.counters SET last = last + 1
 WHERE kind = :kind AND year = :year
RETURNING last;

-- name: start_counter$
-- First use in a year: continue after the highest number already stored (rows the web app
-- wrote included); a concurrent first use just bumps.
INSERT INTO complementarias.counters (kind, year, last) VALUES (:kind, :year, :start)
ON CONFLICT (kind, year) DO UPDATE SET last = complementarias.counters.last + 1
RETURNING last;

-- name: resync_counter!
-- After a collision with a number written elsewhere (the web app), jump past it.
UPDATE complementarias.counters SET last = greatest(last, :highest)
 WHERE kind = :kind AND year = :year;

-- name: max_codigo_number$
SELECT coalesce(max(substring("codigo" FROM '^SOL-[0-9]{4}-([0-9]{1,12})$')::bigint), 0)
  FROM public.solicitudes
 WHERE "codigo" LIKE :prefix;

-- name: max_ficha_number$
SELECT coalesce(max(substring("numeroFicha" FROM 5)::bigint), 0)
  FROM public.solicitudes
 WHERE "numeroFicha" ~ ('^' || :year::text || '[0-9]{4,6}$');

-- name: ficha_owner$
SELECT "codigo" FROM public.solicitudes WHERE "numeroFicha" = :numero_ficha;
