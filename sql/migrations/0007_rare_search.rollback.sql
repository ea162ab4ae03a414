DROP INDEX IF EXISTS "public"."cx_solicitudes_pares_idx";
DROP FUNCTION complementarias.pares_termino(text);
DROP FUNCTION complementarias.pares_solicitud(text, text, text, text, text, text);
DROP FUNCTION complementarias.pares(text, boolean);
DROP INDEX IF EXISTS "public"."cx_solicitudes_frase_trgm_idx";
DROP FUNCTION complementarias.frase_patron(text);
DROP FUNCTION complementarias.frase_solicitud(text, text, text, text, text, text);
DROP FUNCTION complementarias.frase(text);
CREATE INDEX IF NOT EXISTS "cx_solicitudes_busqueda_trgm_idx" ON "public"."solicitudes" USING gin (complementarias.fold_all("codigo", "numeroFicha", "nombreEmpresa", "responsableNombre", "responsableCedula", "responsableEmail") complementarias.gin_trgm_ops);
