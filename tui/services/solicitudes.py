"""Solicitudes: drafts, edits with optimistic locking, reading and listing in scope.

The estado transitions are in `transitions.py`. Every function checks the actor against the
database first, and every read applies the actor's scope in its SQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from tui.db import pipeline
from tui.db.queries import AQ
from tui.services import audit, model, numbering, reports
from tui.services import horarios as hz
from tui.services.boundary import check, checked
from tui.services.common import (
    Actor,
    Conflict,
    InvalidTransition,
    NotFound,
    Orders,
    Page,
    PermissionDenied,
    ServiceError,
    actor_call,
    actor_from,
    bogota_today,
    clamp_limit,
    decode_cursor,
    encode_cursor,
    orden_of,
    refresh_actor,
    utcnow,
)
from tui.services.ids import new_id
from tui.services.validation import (
    DATE_FIELDS,
    FIELD_LABELS,
    FLAG_FIELDS,
    INT_FIELDS,
    MODALIDADES,
    FieldError,
    ValidationFailed,
    parse_int,
    validate_draft,
    validate_submit,
)

ESTADOS = model.ESTADOS
ESTADO_LABEL = model.ESTADO_LABEL
DECLARATIONS = model.DECLARATIONS
TEXT_FIELDS = (
    "responsableNombre", "responsableCedula", "responsableEmail", "codigoPrograma",
    "versionPrograma", "municipio", "departamento", "nombreEmpresa", "nitEmpresa",
    "codigoEmpresa", "representanteLegal", "direccionEmpresa", "telefonosEmpresa",
    "lugarFormacion", "tipoAmbiente", "otroEspecificar", "justificacion", "resultadosEsperados",
    "observaciones",
)
NULLABLE_TEXT = ("nitEmpresa", "codigoEmpresa", "telefonosEmpresa", "otroEspecificar",
                 "resultadosEsperados", "observaciones")
FORM_FIELDS = (
    "programaId", "fechaCaracterizacion", *TEXT_FIELDS, "duracionMaxima", "cupoMaximo",
    "numeroAprendicesInscribir", "modalidad", "fechaCreacionEmpresa", *FLAG_FIELDS,
    "inicioInscripcion", "finalizacionInscripcion", "fechaInicioCurso", "fechaFinalizacionCurso",
    "objetivosPersonalizados", *DECLARATIONS,
)
EDITABLE_BY_OWNER = model.EDITABLE_BY_OWNER
COUNT_CAP = 10_000  # list totals above this show as "más de 10 000" (an exact count is slow)
SEARCH_RARE_ESTIMATE = 5_000  # a term estimated to match fewer solicitudes is read by index
SEARCH_WINDOW = timedelta(days=365)  # a centro's common term is first looked for this recently
# A centro's list without a search is first looked for in the 30 days before the page
# (~100 rows of the busiest centro), then in the year before, then anywhere.
LIST_WINDOWS = (timedelta(days=30), SEARCH_WINDOW, None)
SEARCH_RARE_CAP = 20_000  # ... unless it really has this many candidates: then it is walked
SEARCH_RARE_CAP_INSTRUCTOR = 300  # an instructor's own candidates: past it, the walk is sooner full
_ONE_DAY = timedelta(days=1)
ORDENES: Orders = dict(model.DATE_ORDERS)
"""The orders of the list (the branches of list_solicitudes and export_solicitudes)."""
ORDENES_COLA: Orders = dict(reversed(model.DATE_ORDERS.items()))
"""The orders of the review queue (the branches of review_queue), by fecha de solicitud."""
ORDEN_BUSQUEDA = "exactas primero, más recientes"
"""A search's order, whatever the chosen one (which applies again when the text is cleared):
exact codigo, ficha or cédula first, then the matches newest first."""


@dataclass(frozen=True)
class Solicitud:
    """One solicitud as the screens show it: the row (camelCase keys), horarios, history."""

    data: dict[str, Any]
    horarios: tuple[hz.Horario, ...]
    historial: tuple[dict[str, Any], ...] = ()

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def codigo(self) -> str:
        return str(self.data["codigo"])

    @property
    def estado(self) -> str:
        return str(self.data["estado_txt"])

    @property
    def updated_at(self) -> datetime:
        return cast(datetime, self.data["updatedAt"])


# ---- helpers ---------------------------------------------------------------------------------
def _to_ts(value: Any, field: str = "fecha") -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    label = FIELD_LABELS.get(field, field)
    raise ValidationFailed((FieldError(field, f"{label}: no es una fecha válida."),))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _programa_id(value: Any) -> str:
    """The programaId as given, or a field error (never a lookup of garbage)."""
    if not isinstance(value, str) or not value.strip() or "\x00" in value or len(value) > 64:
        raise ValidationFailed((FieldError("programaId", "Programa: es obligatorio; elija uno "
                                                         "de la lista."),))
    return value.strip()


def form_values(row: dict[str, Any]) -> dict[str, Any]:
    """The form fields of a stored row, dates as `date`, for editing and validation."""
    out: dict[str, Any] = {}
    for f in FORM_FIELDS:
        v = row.get(f)
        if f == "modalidad":
            v = row.get("modalidad_txt", v)
        if f in DATE_FIELDS and isinstance(v, datetime):
            v = v.date()
        out[f] = v
    out["objetivosPersonalizados"] = list(row.get("objetivosPersonalizados") or [])
    return out


def _db_params(form: dict[str, Any]) -> dict[str, Any]:
    """Form values → column values: NOT NULL text as '', dates as midnight UTC timestamps."""
    p: dict[str, Any] = {}
    today = bogota_today()
    for f in FORM_FIELDS:
        v = form.get(f)
        if f in TEXT_FIELDS:
            v = (v.strip() if isinstance(v, str) else v)
            v = (v or None) if f in NULLABLE_TEXT else (v or "")
        elif f in DATE_FIELDS:
            v = _to_ts(v, f)
            if v is None and f not in ("fechaCaracterizacion", "fechaCreacionEmpresa"):
                v = _to_ts(today)  # NOT NULL in the schema; a draft may not have it yet
        elif f in FLAG_FIELDS or f in DECLARATIONS:
            v = v is True  # only a real tick counts: "  " or "no" never accept a declaration
        elif f in INT_FIELDS:
            v = 0 if _blank(v) else parse_int(v)  # NOT NULL; a cleared draft number is 0
            if v is None:
                label = FIELD_LABELS.get(f, f)
                raise ValidationFailed((FieldError(f, f"{label}: debe ser un número entero."),))
        elif f == "modalidad" and (_blank(v) or v not in MODALIDADES):
            raise ValidationFailed((FieldError("modalidad", "Modalidad: elija una de la "
                                                            "lista."),))
        elif f == "objetivosPersonalizados":
            v = [str(x).strip() for x in (v or []) if str(x).strip()]
        p[f] = v
    return p


def _horario_rows(rows: Any) -> list[hz.Horario]:
    out = []
    for r in rows:
        fecha = r["fecha"].date() if isinstance(r["fecha"], datetime) else r["fecha"]
        out.append(hz.Horario(dia_semana=r["diaSemana"], hora_inicio=r["horaInicio"],
                              hora_fin=r["horaFin"], fecha=fecha, es_flexible=r["esFlexible"],
                              observaciones=r["observaciones"]))
    return out


def horarios_calls(solicitud_id: str, rows: list[hz.Horario]) -> list[pipeline.Call]:
    """Replace all horarios of a solicitud (inside the caller's transaction), as statements
    for `pipeline.run`; all the rows in one statement."""
    calls: list[pipeline.Call] = [(AQ.delete_horarios, dict(solicitud_id=solicitud_id))]
    if rows:
        calls.append((AQ.insert_horarios, dict(
            solicitud_id=solicitud_id, ids=[new_id() for _ in rows],
            dias=[h.dia_semana for h in rows], fechas=[_to_ts(h.fecha) for h in rows],
            inicios=[h.hora_inicio for h in rows], fines=[h.hora_fin for h in rows],
            flexibles=[bool(h.es_flexible) for h in rows],
            observaciones=[h.observaciones or None for h in rows])))
    return calls


async def replace_horarios(conn: Any, solicitud_id: str, rows: list[hz.Horario]) -> None:
    """Replace all horarios of a solicitud (inside the caller's transaction)."""
    await pipeline.run(conn, *horarios_calls(solicitud_id, rows))


def history_call(actor: Actor, solicitud_id: str, accion: str, desde: str | None,
                 hasta: str | None, comentario: str | None = None) -> pipeline.Call:
    """The history row of a change, as a statement for `pipeline.run`."""
    return (AQ.insert_historial, dict(solicitud_id=solicitud_id, actor_id=actor.id,
                                      actor_nombre=actor.name, accion=accion,
                                      estado_desde=desde, estado_hasta=hasta,
                                      comentario=comentario))


async def history(conn: Any, actor: Actor, solicitud_id: str, accion: str,
                  desde: str | None, hasta: str | None, comentario: str | None = None) -> None:
    await pipeline.run(conn, history_call(actor, solicitud_id, accion, desde, hasta, comentario))


def read_calls(actor: Actor, solicitud_id: str) -> list[pipeline.Call]:
    """What `get` reads (the solicitud if the actor may see it, its horarios and history), as
    the last three reads of a `pipeline.run`; `solicitud_from` builds the result."""
    return [(AQ.solicitud_visible, dict(id=solicitud_id, actor_id=actor.id, role=actor.role,
                                        centro_id=actor.centro_id, **model.sql_params())),
            (AQ.horarios_of, dict(solicitud_id=solicitud_id)),
            (AQ.historial_of, dict(solicitud_id=solicitud_id))]


def solicitud_from(results: list[list[Any]]) -> Solicitud:
    """The Solicitud from the results of a `pipeline.run` ending in `read_calls`."""
    found, horarios, hist = results[-3:]
    if not found:
        raise NotFound("La solicitud no existe o no tiene permiso para verla.")
    return Solicitud(dict(found[0]), tuple(_horario_rows(horarios)),
                     tuple(dict(r) for r in hist))


async def _programa_for(conn: Any, actor: Actor, programa_id: str) -> dict[str, Any]:
    return _programa_checked(await AQ.programa_for_solicitud(conn, id=programa_id), actor)


def _programa_checked(prog: Any, actor: Actor) -> dict[str, Any]:
    """The programa row (None: none) if `actor` may ask for it."""
    if prog is None:
        raise NotFound("El programa no existe.")
    if not prog["isActive"] or prog["tipoFormacion"] != "COMPLEMENTARIA":
        raise ServiceError("Programa: solo se pueden solicitar programas activos de formación "
                           "complementaria.")
    if prog["centroId"] != actor.centro_id:
        raise PermissionDenied("Programa: debe pertenecer a su centro de formación.")
    return cast("dict[str, Any]", prog)


def _check_draft(form: dict[str, Any], rows: list[hz.Horario]) -> None:
    errors = validate_draft(form) + hz.validate_horarios(rows)
    if errors:
        raise ValidationFailed(tuple(errors))


# ---- create, save, read ------------------------------------------------------------------------
def new_form(actor: Actor, programa: dict[str, Any] | None = None) -> dict[str, Any]:
    """A blank form prefilled from the instructor and (optionally) the programa."""
    form: dict[str, Any] = {f: None for f in FORM_FIELDS}
    form.update({f: False for f in (*FLAG_FIELDS, *DECLARATIONS)})
    form.update(fechaCaracterizacion=bogota_today(), responsableNombre=actor.name,
                responsableCedula=actor.cedula, responsableEmail=actor.email,
                versionPrograma="1", tipoAmbiente="AULA", objetivosPersonalizados=[])
    if programa:
        form.update(programaId=programa["id"], codigoPrograma=programa["codigo"],
                    duracionMaxima=programa["duracionHoras"],
                    cupoMaximo=programa["cupoAprendices"],
                    numeroAprendicesInscribir=min(32, programa["cupoAprendices"]),
                    modalidad=programa["modalidad"])
    return form


@checked
async def create_draft(pool: Pool, actor: Actor, form: dict[str, Any],
                       horarios: list[hz.Horario] | None = None) -> Solicitud:
    """A new draft for the instructor, with a fresh codigo."""
    rows = list(horarios or [])
    async with pool.connection() as conn:
        try:
            programa_id = _programa_id(form.get("programaId"))
        except ValidationFailed:  # refused after the actor's own checks
            actor = await refresh_actor(conn, actor)
            if not actor.is_instructor:
                raise PermissionDenied("Solo los instructores crean solicitudes.") from None
            raise
        # the actor and the programa in one round trip; the actor is checked first
        me, found = await pipeline.run(conn, actor_call(actor),
                                       (AQ.programa_for_solicitud, dict(id=programa_id)))
        actor = actor_from(me[0] if me else None)
        if not actor.is_instructor:
            raise PermissionDenied("Solo los instructores crean solicitudes.")
        prog = _programa_checked(found[0] if found else None, actor)
        base = new_form(actor, prog)
        base.update({k: v for k, v in form.items() if k in FORM_FIELDS and not _blank(v)})
        _check_draft(base, rows)
        params = _db_params(base)
        for _attempt in range(5):
            async with conn.transaction():
                codigo = await numbering.next_codigo(conn)
                now = utcnow()
                row = await AQ.insert_solicitud(
                    conn, id=new_id(), codigo=codigo, instructorId=actor.id,
                    estado=model.DRAFT, fechaSolicitud=now, fechaRevision=None,
                    fechaAprobacion=None, comentariosRevision=None, numeroFicha=None,
                    createdAt=now, updatedAt=now, **params)
                if row is not None:
                    sol_id = row["id"]
                    # the horarios (no delete: the draft is new), the history row and the
                    # draft read back, in one round trip
                    results = await audit.record_with(
                        conn, [*horarios_calls(sol_id, rows)[1:],
                               history_call(actor, sol_id, model.CREATED[0], None,
                                            model.CREATED[1]),
                               *read_calls(actor, sol_id)],
                        "draft_create", actor=actor, target=sol_id, detail={"codigo": codigo})
                    break
            async with conn.transaction():  # the codigo was taken elsewhere: jump past it
                await numbering.resync(conn, "codigo", int(codigo[4:8]))
        else:
            raise ServiceError("No se pudo asignar un código a la solicitud; intente de nuevo.")
    return solicitud_from(results)


@checked
async def save(pool: Pool, actor: Actor, solicitud_id: str, form: dict[str, Any],
               horarios: list[hz.Horario], expected_updated_at: datetime,
               base: dict[str, Any] | None = None) -> Solicitud:
    """Save the owner's edits: any partial data while BORRADOR (autosave); full validation
    while PENDIENTE. Refused with Conflict if the row changed since `expected_updated_at`;
    given `base` (the form values the user started from), the Conflict lists exactly the
    fields the other person changed."""
    rows = list(horarios)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        async with conn.transaction():
            cur = await AQ.solicitud_for_update(conn, id=solicitud_id)
            if cur is None:
                raise NotFound("La solicitud no existe.")
            if cur["instructorId"] != actor.id:
                raise PermissionDenied("Solo el instructor que la creó puede editar esta "
                                       "solicitud.")
            estado = cur["estado_txt"]
            if estado not in EDITABLE_BY_OWNER:
                raise InvalidTransition(f"La solicitud está {ESTADO_LABEL[estado].lower()}: ya "
                                        "no se puede editar.")
            merged = form_values(cur)
            merged.update({k: v for k, v in form.items() if k in FORM_FIELDS})
            if _blank(merged.get("modalidad")):
                merged["modalidad"] = cur["modalidad_txt"]
            merged["programaId"] = _programa_id(merged.get("programaId"))
            if merged.get("programaId") != cur["programaId"]:
                if estado != model.DRAFT:
                    raise InvalidTransition("El programa solo se cambia en un borrador.")
                await _programa_for(conn, actor, str(merged["programaId"]))
            if estado == model.DRAFT:
                _check_draft(merged, rows)
            else:
                errors = validate_submit(merged, rows)
                if errors:
                    raise ValidationFailed(tuple(errors))
            updated = await AQ.update_solicitud_form(
                conn, id=solicitud_id, expected_updated_at=expected_updated_at, now=utcnow(),
                **_db_params(merged))
            if updated is None:
                theirs = form_values(cur)
                mine = base if base is not None else merged
                changed = tuple(k for k in FORM_FIELDS if theirs.get(k) != mine.get(k))
                raise Conflict("Otra persona (u otra ventana) cambió esta solicitud mientras "
                               "la editaba. Revise los cambios antes de guardar de nuevo.",
                               current=theirs, changed=changed)
            await replace_horarios(conn, solicitud_id, rows)
            if estado != model.DRAFT:
                await history(conn, actor, solicitud_id, "Editada", estado, estado)
            before = form_values(cur)
            await audit.record(conn, "draft_save", actor=actor, target=solicitud_id,
                               detail={"codigo": cur["codigo"], "estado": estado,
                                       "campos": [k for k in FORM_FIELDS
                                                  if before.get(k) != merged.get(k)]})
    return await get(pool, actor, solicitud_id)


@checked
async def get(pool: Pool, actor: Actor, solicitud_id: str) -> Solicitud:
    """A solicitud with horarios and history, only if the actor may see it."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        return solicitud_from(await pipeline.run(conn, *read_calls(actor, solicitud_id)))


@dataclass(frozen=True)
class Filtros:
    estado: str | None = None
    programa_id: str | None = None
    instructor_id: str | None = None
    centro_id: str | None = None
    desde: date | None = None
    hasta: date | None = None          # inclusive
    year: int | None = None
    texto: str | None = None
    orden: str | None = None
    """A key of ORDENES (None: the first); a search ignores it (ORDEN_BUSQUEDA)."""


def _filter_params(actor: Actor, f: Filtros) -> dict[str, Any]:
    check(filtros=f)  # every caller: lists, counts, exports
    if f.estado is not None and f.estado not in ESTADOS:
        raise ServiceError("Estado no válido.")
    desde, hasta = f.desde, f.hasta
    if f.year:
        desde = max(desde or date(f.year, 1, 1), date(f.year, 1, 1))
        hasta = min(hasta or date(f.year, 12, 31), date(f.year, 12, 31))
    orden = orden_of(ORDENES, f.orden)
    texto = (f.texto or "").replace("\x00", "").strip()[:100]
    hasta_ts = _to_ts(hasta)
    like = "%" + texto.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return dict(
        role=actor.role, actor_id=actor.id, centro_id=actor.centro_id, estado=f.estado,
        programa_id=f.programa_id, instructor_id=f.instructor_id,
        centro_filter=f.centro_id if actor.is_admin else None,
        desde=_to_ts(desde), hasta=hasta_ts + _ONE_DAY if hasta_ts is not None else None,
        q=like if texto else None, texto=texto, **model.sql_params(),
        orden=next(iter(ORDENES)) if texto else orden,
    )


@checked
async def list_page(pool: Pool, actor: Actor, filtros: Filtros | None = None,
                    cursor: str | None = None, limit: int = 50) -> Page[dict[str, Any]]:
    """A keyset page (in `filtros.orden`; a search: ORDEN_BUSQUEDA) of the solicitudes in the
    actor's scope, with the total (estimated, `exact=False`, for a common search term or an
    admin's huge list)."""
    filtros = filtros or Filtros()
    limit = clamp_limit(limit)
    after = decode_cursor(cursor)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        params = _filter_params(actor, filtros)
        keyset = dict(limit=limit + 1,
                      after_ts=datetime.fromisoformat(after[0]) if after else None,
                      after_id=after[1] if after else None)
        if params["q"] is not None:
            return await _search_page(conn, actor, params, keyset, limit, first=after is None)
        centro = _centro_scope(actor, params)
        if centro is not None:
            # one centro: its merged ranges; newest first, the recent ones first
            windows = LIST_WINDOWS if params["orden"] == next(iter(ORDENES)) else (None,)
            rows = await _centro_rows(conn, centro, params, keyset, limit, windows)
        else:
            rows = [dict(r) async for r in AQ.list_solicitudes(conn, **params, **keyset)]
        if all(params[k] is None for k in ("programa_id", "instructor_id", "desde", "hasta")):
            # the whole scope, maybe one estado: the summary's exact count (an instructor's
            # own, drafts included; a whole centro or all of them, drafts left out)
            if actor.is_instructor:
                total = sum(r["n"] for r in await _instructor_summary(conn, actor)
                            if filtros.estado in (None, r["estado"]))
            else:
                totals = await reports.estado_totals(
                    conn, reports.summary_centro(actor, params["centro_filter"]))
                total = sum(int(totals[e]) for e in ESTADOS[1:]
                            if filtros.estado in (None, e))
            return Page(rows[:limit], total, _next_cursor(rows, limit))
        # Only an admin's whole scope is big enough for the cap; on a centro's ~10 000
        # rows a LIMIT makes the planner pick a slower fast-start plan.
        cap = COUNT_CAP + 1 if actor.is_admin else None
        total = int(await AQ.count_solicitudes(conn, **params, cap=cap))
    return Page(rows[:limit], min(total, COUNT_CAP), _next_cursor(rows, limit),
                exact=total <= COUNT_CAP)


def _centro_scope(actor: Actor, params: dict[str, Any]) -> str | None:
    """The one centro a coordinador's or a filtering admin's list covers (None: an
    instructor's own rows, or every centro)."""
    return actor.centro_id if actor.is_coordinador else params["centro_filter"]


async def _centro_rows(conn: Any, centro: str, params: dict[str, Any], keyset: dict[str, Any],
                       limit: int, windows: tuple[timedelta | None, ...]
                       ) -> list[dict[str, Any]]:
    """A page of one centro's scope from merged per-(programa, estado) ranges (see
    list_solicitudes_centro): solicitudes has no centro column, and walking every centro's
    rows to keep this one's reads ~120 rows per row shown (and all of them for a centro with
    few). In `params["orden"]`; newest first, the `windows` before the cursor are tried in
    turn: the page is complete when a window alone fills it."""
    scope = {k: params[k] for k in ("estado", "q", "programa_id", "instructor_id", "desde",
                                    "hasta", "orden", model.DRAFT.lower())}
    rows: list[dict[str, Any]] = []
    for window in windows:
        since = (keyset["after_ts"] or utcnow()) - window if window is not None else None
        rows = [dict(r) async for r in AQ.list_solicitudes_centro(
            conn, centro=centro, **scope, **keyset, since=since)]
        if len(rows) > limit:
            break
    return rows


def _next_cursor(rows: list[dict[str, Any]], limit: int) -> str | None:
    return encode_cursor(rows[limit - 1]["createdAt"], rows[limit - 1]["id"]) \
        if len(rows) > limit else None


async def _search_page(conn: Any, actor: Actor, params: dict[str, Any], keyset: dict[str, Any],
                       limit: int, first: bool) -> Page[dict[str, Any]]:
    """A search (accent- and case-insensitive, folded in SQL): exact codigo, ficha or cédula
    first (a whole codigo or ficha: that solicitud only); a rare term read through the
    search indexes (word pairs, trigrams) with its exact total; a common one walked newest
    first, its total the planner's estimate (shown as "≈")."""
    exact = [dict(r) async for r in AQ.search_exact(conn, **params)] if first else []
    if any([r.pop("unica") for r in exact]):
        # a whole codigo or ficha names its solicitud: no trigram search, whose common
        # trigrams ("sol", "202…") would read most of the index
        return Page(exact, len(exact), None)
    rows: list[dict[str, Any]] = []
    rare = False
    # Shorter text has no trigram (every row would be a candidate); a common term would make
    # the index path read every match: the estimate decides, the cap guards it. The index
    # path reads the term's candidates in every scope to keep the actor's (an instructor's:
    # their own only), with a lower cap for an instructor, whose own rows can be walked.
    cap = SEARCH_RARE_CAP_INSTRUCTOR if actor.is_instructor else SEARCH_RARE_CAP
    if (len(params["texto"]) >= 3
            and _plan_rows(await AQ.estimate_search_candidates(
                conn, q=params["q"], texto=params["texto"]))
            < SEARCH_RARE_ESTIMATE):
        async with conn.transaction():
            await AQ.search_serial(conn)
            rows = [dict(r) async for r in AQ.search_solicitudes(
                conn, **params, **keyset, cap=cap)]
        rare = int(rows[0]["candidatos"]) < cap
        rows = [r for r in rows if r["id"] is not None]
    if rare:
        total, is_exact = (int(rows[0]["total"]) if rows else len(exact)), True
    else:
        centro = _centro_scope(actor, params)
        if actor.is_instructor:
            rows = [dict(r) async for r in AQ.search_instructor(conn, **params, **keyset)]
        elif centro is not None:
            rows = await _centro_rows(conn, centro, params, keyset, limit,
                                      (SEARCH_WINDOW, None))
        else:
            rows = [dict(r) async for r in AQ.list_solicitudes(conn, **params, **keyset)]
        if first and len(rows) <= limit:  # the walk saw the whole scope: exact
            total, is_exact = len({r["id"] for r in rows} | {r["id"] for r in exact}), True
        else:
            estimate = _plan_rows(await AQ.estimate_search_solicitudes(conn, **params))
            total, is_exact = max(int(estimate), limit + 1), False
    nxt = _next_cursor(rows, limit)
    seen = {r["id"] for r in exact}
    page = exact + [r for r in rows[:limit] if r["id"] not in seen]
    return Page(page, total, nxt, exact=is_exact,
                extra={} if is_exact else {"estimado": True})


def _plan_rows(plan: Any) -> float:
    """The estimated rows of an EXPLAIN (FORMAT JSON) result."""
    return float(plan[0]["Plan"]["Plan Rows"])


async def _instructor_summary(conn: Any, actor: Actor) -> list[dict[str, Any]]:
    """The instructor's solicitudes per estado and Bogotá year (`anio` 1: not sent yet), from
    the summary table: rows with `estado`, `anio`, `n`."""
    return [dict(r) async for r in AQ.resumen_instructor(conn, actor_id=actor.id)]


@checked
async def counts(pool: Pool, actor: Actor, centro_id: str | None = None) -> dict[str, int]:
    """Solicitudes per estado over the actor's whole scope (all six estados present), from
    the summary tables."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        out = {e: 0 for e in ESTADOS}
        if actor.is_instructor:
            for r in await _instructor_summary(conn, actor):
                out[r["estado"]] += int(r["n"])
        else:
            totals = await reports.estado_totals(conn, reports.summary_centro(actor, centro_id))
            out.update({e: int(totals[e]) for e in model.SENT})
    return out


@checked
async def years(pool: Pool, actor: Actor) -> list[int]:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        if actor.is_instructor:
            # the years they sent in (drafts with a fechaSolicitud too: they are theirs)
            return sorted({int(r["anio"]) for r in await _instructor_summary(conn, actor)
                           if r["anio"] > 1}, reverse=True)
        return [r["year"] async for r in AQ.resumen_years(
            conn, centro=reports.summary_centro(actor, None))]


@checked
async def review_queue(pool: Pool, actor: Actor, texto: str | None = None,
                       centro_id: str | None = None, cursor: str | None = None,
                       limit: int = 50, orden: str | None = None) -> Page[dict[str, Any]]:
    """PENDIENTE and EN_REVISION to review (coordinators: their centro), in `orden` (a key
    of ORDENES_COLA; None: oldest first), a search too."""
    limit = clamp_limit(limit)
    after = decode_cursor(cursor)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        if actor.is_instructor:
            raise PermissionDenied("La cola de revisión es para coordinadores y "
                                   "administradores.")
        params = _filter_params(actor, Filtros(texto=texto, centro_id=centro_id))
        keep = {k: params[k]
                for k in ("role", "centro_id", "centro_filter", "q", *model.sql_params())}
        rows = [dict(r) async for r in AQ.review_queue(
            conn, **keep, limit=limit + 1, orden=orden_of(ORDENES_COLA, orden),
            after_ts=datetime.fromisoformat(after[0]) if after else None,
            after_id=after[1] if after else None)]
        if keep["q"] is None:  # the summary: exact, whatever the size of the queue
            totals = await reports.estado_totals(
                conn, reports.summary_centro(actor, params["centro_filter"]))
            total = sum(int(totals[e]) for e in model.OPEN)
        else:
            total = (await AQ.count_review_queue(conn, **keep, urgente_antes=None))["total"]
    nxt = encode_cursor(rows[limit - 1]["fechaSolicitud"], rows[limit - 1]["id"]) \
        if len(rows) > limit else None
    return Page(rows[:limit], int(total), nxt)

