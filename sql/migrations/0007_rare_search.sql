-- Rare multi-word search at national scale (README, "Indexes (cx_)"). pg_trgm splits text
-- into words and takes the trigrams of each word alone; every word of a full name ("ana",
-- "ortiz", "perez") is common, and the trigram index intersected their long posting lists
-- (~1 500 index pages for a few hundred matches). Two indexes on a solicitud's folded text
-- (both created by post-apply.sql) tie the words together:
-- * cx_solicitudes_pares_idx: the pairs of neighbouring words, the last three letters of one
--   and the first one, two and three of the next ("ana ortiz perez" -> "ana o", "ana or",
--   "ana ort", "tiz p", "tiz pe", "tiz per"); a term of several words reads only the rows
--   that have all of its pairs (a few hundred index entries), then tests them exactly.
-- * cx_solicitudes_frase_trgm_idx (in place of cx_solicitudes_busqueda_trgm_idx), for the
--   other terms: trigrams with each space written as "Q" (folded text has no capital
--   letter; pg_trgm lowercases it inside its trigrams), so "esperanza 12" also gives "zaq",
--   "aq1", "q12". The text and the pattern are mapped alike, one character for another that
--   never occurs: the LIKE on the mapped text is the LIKE on the folded text, exactly.
-- depends: 0006_instructor_summaries

-- Spaces written as "Q", a character pg_trgm keeps inside a word and folded text never has.
CREATE FUNCTION complementarias.frase(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN translate(t, ' ', 'Q');

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

-- The neighbouring-word pairs of folded text (words split at single spaces): the last three
-- letters of a word, a space and the first one, two and three letters of the next. With
-- `termino`, the text is a search term, which may begin inside a word and end inside one:
-- each pair is "the last three letters of a word, a space, the first three letters of the
-- next" (as many as the term's last word has), kept only when certain (its first word has
-- at least three letters, or is not the term's first): a row containing the term has every
-- pair of the term.
CREATE FUNCTION complementarias.pares(t text, termino boolean) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    w text[] := string_to_array(t, ' ');
    n integer := coalesce(array_length(w, 1), 0);
    out text[] := '{}';
BEGIN
    FOR i IN 1 .. n - 1 LOOP
        IF NOT termino THEN
            out := out || ARRAY[right(w[i], 3) || ' ' || left(w[i + 1], 1),
                                right(w[i], 3) || ' ' || left(w[i + 1], 2),
                                right(w[i], 3) || ' ' || left(w[i + 1], 3)];
        ELSIF (i > 1 OR length(w[1]) >= 3) AND w[i + 1] <> '' THEN
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
