-- Scope and search predicates written once (sql/queries/*.sql call these), and the informe's
-- covering index in place of the plain date index. Every function is LANGUAGE sql with a
-- single expression or a single SELECT, no sublinks, not STRICT, so that the planner inlines
-- it where it is called: the plans (index choice, constant folding of the actor's role,
-- trigram index matching) are those of the text written in place.
-- Arguments are text (no dependency on Prisma's tables or enums: `prisma db push` may drop
-- and re-create them). Schema complementarias; every name qualified (see 0004).
-- depends: 0004_search_summaries

-- The actor's scope over solicitudes: an instructor sees their own (drafts included);
-- a coordinador, their centro's (the programa's centro); an admin, every centro; drafts are
-- private to their author. `centro_filtro` (an admin's centro filter; NULL: none) narrows it.
-- Call with the solicitud's "instructorId", whether it is a draft ("estado" = 'BORRADOR',
-- compared as the enum: a cast to text per row would cost more than the rest) and its
-- programa's "centroId".
CREATE FUNCTION complementarias.en_alcance(
    rol text, actor_id text, actor_centro text, centro_filtro text,
    instructor_id text, borrador boolean, centro_id text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE rol
               WHEN 'INSTRUCTOR' THEN instructor_id = actor_id
               WHEN 'COORDINADOR' THEN centro_id = actor_centro AND NOT borrador
               WHEN 'ADMIN' THEN NOT borrador
               ELSE false
           END
           AND (centro_filtro IS NULL OR centro_id = centro_filtro);

-- The searched text of each entity, folded (no accents, lower case): the expressions the
-- cx_*_busqueda_trgm_idx indexes are built on (post-apply.sql), so a LIKE on them is read
-- through the trigram index.
CREATE FUNCTION complementarias.texto_solicitud(
    codigo text, ficha text, empresa text, responsable text, cedula text, email text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN complementarias.fold_all(codigo, ficha, empresa, responsable, cedula, email);

CREATE FUNCTION complementarias.texto_usuario(nombre text, email text, cedula text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN complementarias.fold_all(nombre, email, cedula);

CREATE FUNCTION complementarias.texto_programa(nombre text, codigo text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN complementarias.fold_all(nombre, codigo);

-- A solicitud's own fields match the LIKE pattern `q` (folded here). For walks (newest or
-- oldest first, a page at a time): the searched text ends in an empty part on purpose, so it
-- is not the indexed expression and the planner cannot trade the walk for a trigram scan
-- that reads every match of a common term. NULL `q`: no search, every row matches.
CREATE FUNCTION complementarias.solicitud_coincide(
    q text, codigo text, ficha text, empresa text, responsable text, cedula text,
    email text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN q IS NULL
        OR complementarias.fold_all(codigo, ficha, empresa, responsable, cedula, email, '')
           LIKE complementarias.fold(q);

-- The users and programas whose searched text matches `q`, through their trigram indexes
-- (used as `x IN (SELECT … FROM complementarias.usuarios_coinciden(:q) …)`: one hashed set
-- per query, not a folding per row).
CREATE FUNCTION complementarias.usuarios_coinciden(q text) RETURNS TABLE (id text)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT u."id" FROM public.users u
     WHERE complementarias.texto_usuario(u."name", u."email", u."cedula")
           LIKE complementarias.fold(q)
$$;

CREATE FUNCTION complementarias.programas_coinciden(q text) RETURNS TABLE (id text)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p."id" FROM public.programas p
     WHERE complementarias.texto_programa(p."nombre", p."codigo") LIKE complementarias.fold(q)
$$;

-- cx_solicitudes_fecha_idx ("fechaSolicitud") gives way to cx_solicitudes_informe_idx (the
-- same key with what an informe aggregates included, created by post-apply.sql): one index
-- to keep up to date on every write instead of two.
DROP INDEX IF EXISTS "public"."cx_solicitudes_fecha_idx";

