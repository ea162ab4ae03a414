-- Rare multi-word search at national scale (README, "Indexes (cx_)"). pg_trgm splits text
-- into words and takes the trigrams of each word alone; every word of a full name ("ana",
-- "ortiz", "perez") is common, and the trigram index intersected their long posting lists
-- (~1 500 index pages for a few hundred matches). Two indexes on a solicitud's folded text
-- (both created by post-apply.sql) tie the words together:
-- * cx_solicitudes_pares_idx: the pairs of neighbouring words, each cut to its last and first
--   three letters ("ana ortiz perez" -> "ana ort", "tiz per"); a term of several words that
--   yields such a pair reads only the rows that have them (a few hundred index entries).
-- * cx_solicitudes_frase_trgm_idx (in place of cx_solicitudes_busqueda_trgm_idx): trigrams
--   with each space written as "0", so "esperanza 12" also gives "za0", "a01", "012".
-- Both only narrow the candidates: the row's folded text and the term are mapped alike, so
-- every real match is kept, and the exact test on the folded text (solicitud_coincide)
-- removes the rest (a real "0" in the text, pairs in another order).
-- depends: 0005_scope_search_predicates

-- Spaces written as "0", a character pg_trgm keeps inside a word. Applied to folded text.
CREATE FUNCTION complementarias.frase(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN translate(t, ' ', '0');

-- The searched text of a solicitud as the trigram index sees it (its indexed expression).
CREATE FUNCTION complementarias.frase_solicitud(
    codigo text, ficha text, empresa text, responsable text, cedula text, email text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN complementarias.frase(
        complementarias.texto_solicitud(codigo, ficha, empresa, responsable, cedula, email));

-- A LIKE pattern (the user's text, escaped, between "%") folded and mapped the same way.
CREATE FUNCTION complementarias.frase_patron(q text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN complementarias.frase(complementarias.fold(q));

DROP INDEX IF EXISTS "public"."cx_solicitudes_busqueda_trgm_idx";

-- The neighbouring-word pairs of folded text, each "the last three letters of a word, a space,
-- the first three of the next" (words split at single spaces). With `termino`, the text is a
-- search term, which may begin inside a word and end inside one: a pair is kept only when
-- both of its parts are certain (the first word has at least three letters, or is not the
-- first; likewise the last), so a row containing the term has every pair of the term.
CREATE FUNCTION complementarias.pares(t text, termino boolean) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    w text[] := string_to_array(t, ' ');
    n integer := coalesce(array_length(w, 1), 0);
    out text[] := '{}';
BEGIN
    FOR i IN 1 .. n - 1 LOOP
        IF NOT termino OR ((i > 1 OR length(w[1]) >= 3) AND (i + 1 < n OR length(w[n]) >= 3))
        THEN
            out := out || (right(w[i], 3) || ' ' || left(w[i + 1], 3));
        END IF;
    END LOOP;
    RETURN out;
END
$$;

-- The pairs of a solicitud's searched text (the indexed expression of cx_solicitudes_pares_idx).
CREATE FUNCTION complementarias.pares_solicitud(
    codigo text, ficha text, empresa text, responsable text, cedula text, email text)
    RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN complementarias.pares(
        complementarias.texto_solicitud(codigo, ficha, empresa, responsable, cedula, email),
        false);

-- The certain pairs of a search term (not escaped; folded here): empty when it has none.
CREATE FUNCTION complementarias.pares_termino(texto text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN complementarias.pares(complementarias.fold(texto), true);
