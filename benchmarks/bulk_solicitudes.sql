-- Bench data: :n copies of the demo solicitudes (every estado but BORRADOR), spread over the
-- demo instructors and programas, with new ids and codigos (SOL-2030-<n>). Run by
-- benchmarks/bench_exports.py on a throwaway database only.
INSERT INTO public.solicitudes
SELECT 'bench' || g || '_' || s."id", 'SOL-2030-' || lpad((row_number() OVER ())::text, 7, '0'),
       s."instructorId", s."programaId", s."fechaCaracterizacion", s."responsableNombre",
       s."responsableCedula", s."responsableEmail", s."codigoPrograma", s."versionPrograma",
       s."duracionMaxima", s."cupoMaximo", s."numeroAprendicesInscribir", s."modalidad",
       s."municipio", s."departamento", s."nombreEmpresa", s."nitEmpresa", s."codigoEmpresa",
       s."representanteLegal", s."fechaCreacionEmpresa", s."direccionEmpresa",
       s."telefonosEmpresa", s."lugarFormacion", s."tipoAmbiente", s."programaEmprendimiento",
       s."programaBilinguismo", s."atencionInstituciones", s."posconflicto",
       s."senaEmprendeRural", s."formacionEspecialMypimes", s."senaEmprendeRuralPosconflicto",
       s."tecnoacademiaSennova", s."campesenaConvenio8842", s."fullPopularConvenio8882",
       s."icbfInstituto", s."policiaNacional", s."otroEspecificar", s."inicioInscripcion",
       s."finalizacionInscripcion", s."fechaInicioCurso", s."fechaFinalizacionCurso",
       s."justificacion", s."objetivosPersonalizados", s."resultadosEsperados",
       s."observaciones", s."cumpleRequisitos", s."autorizaUsoInfo", s."confirmaVeracidad",
       s."estado", s."fechaSolicitud", s."fechaRevision", s."fechaAprobacion",
       s."comentariosRevision", s."firmaInstructorResponsable", s."firmaCoordinadorAcademico",
       s."versionDocumento", s."codigoFormato", NULL, s."createdAt" + g * interval '1 second',
       s."updatedAt"
  FROM generate_series(1, %(copies)s) AS g
 CROSS JOIN public.solicitudes s
 WHERE s."estado" <> 'BORRADOR' AND s."id" NOT LIKE 'bench%%';
