-- Horarios of a solicitud: always replaced as a whole, inside the caller's transaction.

-- name: delete_horarios!
DELETE FROM public.horarios_detallados WHERE "solicitudId" = :solicitud_id;

-- name: insert_horario!
INSERT INTO public.horarios_detallados ("id", "solicitudId", "diaSemana", "fecha", "horaInicio",
                                        "horaFin", "esFlexible", "observaciones")
VALUES (:id, :solicitud_id, :dia_semana::"public"."DiaSemana", :fecha, :hora_inicio, :hora_fin,
        :es_flexible, :observaciones);

-- name: insert_horarios!
-- Every horario of a solicitud in one statement (one round trip), one array element each.
INSERT INTO public.horarios_detallados ("id", "solicitudId", "diaSemana", "fecha", "horaInicio",
                                        "horaFin", "esFlexible", "observaciones")
SELECT h.id, :solicitud_id, h.dia::"public"."DiaSemana", h.fecha, h.inicio, h.fin, h.flexible,
       h.observaciones
  FROM unnest(:ids::text[], :dias::text[], :fechas::timestamp[], :inicios::text[],
              :fines::text[], :flexibles::boolean[], :observaciones::text[])
       AS h(id, dia, fecha, inicio, fin, flexible, observaciones);
