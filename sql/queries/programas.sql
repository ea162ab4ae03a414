-- Programas and their objetivos, competencias and resultados.

-- name: insert_objetivo!
INSERT INTO public.objetivos_aprendizaje ("id", "descripcion", "programaId", "orden")
VALUES (:id, :descripcion, :programa_id, :orden);

-- name: insert_competencia!
INSERT INTO public.competencias ("id", "descripcion", "codigo", "programaId")
VALUES (:id, :descripcion, :codigo, :programa_id);

-- name: insert_resultado!
INSERT INTO public.resultados_aprendizaje ("id", "descripcion", "codigo", "programaId")
VALUES (:id, :descripcion, :codigo, :programa_id);
