DROP FUNCTION complementarias.programas_coinciden(text);
DROP FUNCTION complementarias.usuarios_coinciden(text);
DROP FUNCTION complementarias.solicitud_coincide(text, text, text, text, text, text, text);
DROP FUNCTION complementarias.texto_programa(text, text);
DROP FUNCTION complementarias.texto_usuario(text, text, text);
DROP FUNCTION complementarias.texto_solicitud(text, text, text, text, text, text);
DROP FUNCTION complementarias.en_alcance(text, text, text, text, text, boolean, text);
