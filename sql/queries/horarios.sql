-- Horarios of a solicitud: always replaced as a whole, inside the caller's transaction.

-- name: delete_horarios!
DELETE FROM public.horarios_detallados WHERE "solicitudId" = :solicitud_id;

-- name: insert_horario!
INSERT INTO public.horarios_detallados ("id", "solicitudId", "diaSemana", "fecha", "horaInicio",
                                        "horaFin", "esFlexible", "observaciones")
VALUES (:id, :solicitud_id, :dia_semana::"public"."DiaSemana", :fecha, :hora_inicio, :hora_fin,
        :es_flexible, :observaciones);
