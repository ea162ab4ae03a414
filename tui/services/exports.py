"""Exports: one solicitud's Ficha de Caracterización (PDF, XLSX), filtered lists of solicitudes
(CSV, XLSX, PDF summary) and the view of any other list screen (CSV, XLSX), always within the
acting user's scope.

Scope: a ficha is exported by whoever may see it (`solicitudes.get`: the owner; coordinators
of the programa's centro and admins, drafts excluded). A list holds exactly what the list
screen shows for the same `Filtros` (the WHERE of `export_solicitudes` repeats
`list_solicitudes`). Rows are read through a server-side (named) cursor in batches, so memory
stays flat whatever the size; progress goes to a callback and a `CancelToken` stops the export
between batches (the partial file is removed).

The view of another list (Usuarios, Centros, Programas, Auditoría, the review queue) is read
through that list's own service (`LIST_SERVICES`) with the same filters, search and order,
page after page: the file holds the rows the screen would show, in its order, and the
service refuses whoever may not read the list (scope, admin-only lists) as it does on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from psycopg.rows import dict_row

from tui.db.queries import AQ
from tui.render import content as ec
from tui.render import format as xf
from tui.render.content import ListSummary
from tui.services import audit, centros, programas, solicitudes, users
from tui.services.boundary import checked
from tui.services.common import (
    Actor,
    NotFound,
    Page,
    PermissionDenied,
    ServiceError,
    gate,
    refresh_actor,
    utcnow,
    valid_id,
)
from tui.services.solicitudes import Filtros
from tui.services.text import sheet_cell

SOLICITUD_FORMATS = ("pdf", "xlsx")
LIST_FORMATS = ("csv", "xlsx", "pdf")
VIEW_FORMATS = ("csv", "xlsx")
BATCH = 500
VIEW_PAGE = 200
"""Rows per page read from a list's service for its export (its largest page)."""
LIST_SERVICES: frozenset[Callable[..., Awaitable[Page[Any]]]] = frozenset({
    users.list_users, centros.list_centros, programas.list_programas, audit.search,
    solicitudes.review_queue})
"""The list services a view export reads (each checks its actor and scope)."""
Progress = Callable[[int, int], None]


class ExportCancelled(ServiceError):
    title = "Exportación cancelada"


class TargetExists(ServiceError):
    """The file is there already: it is replaced only when the user says so (`--force`, or
    the confirmation of the export dialog)."""

    title = "El archivo ya existe"

    def __init__(self, path: Path) -> None:
        super().__init__(f"Archivo: {path} ya existe; no se reemplazó.")
        self.path = path


class CancelToken:
    """Set from the UI (or a signal handler); the export stops at its next batch."""

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


@dataclass(frozen=True)
class ListView:
    """What a list screen shows, to export it: its list service (one of LIST_SERVICES) and
    the arguments the screen passes it (filters, search, order), and its columns (heading,
    the typed value of a row)."""

    nombre: str
    """The file's stem and the audit's target: «usuarios»."""
    titulo: str
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]
    service: Callable[..., Awaitable[Page[Any]]]
    params: Mapping[str, Any] = field(default_factory=dict)
    filtros: str = "sin filtros"
    """The filters, search and order in words (the file's properties and the audit)."""


# ---- who acts, and where the file goes ---------------------------------------------------------
async def acting_user(pool: Pool, email: str) -> Actor:
    """The CLI's acting user (`--as EMAIL`): it must exist and be active. The CLI trusts
    whoever can reach the database (as `user create` does); `--as` sets the scope."""
    email = (email or "").strip()
    async with pool.connection() as conn:
        user_id = await AQ.export_user_id_by_email(conn, email=email) if valid_id(email) \
            else None
        if user_id is None:
            raise NotFound(f"--as: no existe un usuario con el correo {email!r}.")
        return await refresh_actor(conn, user_id)


@checked
async def centro_id_for(pool: Pool, actor: Actor, codigo: str | None) -> str | None:
    """The id of a centro named by code, for the list filter (only admins pick other
    centros; a coordinator may name their own)."""
    if not codigo:
        return None
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.export_centro_by_codigo(conn, codigo=codigo.strip())
    if row is None:
        raise NotFound(f"Centro: no existe un centro con código {codigo!r}.")
    if not actor.is_admin and row["id"] != actor.centro_id:
        raise PermissionDenied("Centro: solo un administrador puede exportar otros centros.")
    return str(row["id"])


def default_name(what: str, fmt: str, now: datetime | None = None) -> str:
    """«solicitudes-20261206-1830.xlsx»: the Bogotá date and time, whatever the server's
    time zone."""
    return f"{what}-{xf.stamp(now)}.{fmt}"


def resolve_target(path: str | os.PathLike[str] | None, fmt: str, default: str,
                   force: bool = False) -> Path:
    """Where an export goes. No path: `default` in the current folder. A folder (existing, or
    written with a trailing /): `default` inside it. A file: its extension must be the
    format's (a name without one gets it). An existing file is replaced only with `force`
    (TargetExists otherwise). Every refusal names the path and says what to do."""
    raw = "" if path is None else os.fspath(path)
    if path is not None and not raw.strip():
        raise ServiceError("Archivo: escriba un nombre de archivo o una carpeta.")
    p = Path(raw.strip()).expanduser() if raw else Path.cwd() / default
    if raw and (p.is_dir() or raw.rstrip().endswith(("/", os.sep))):
        if not p.is_dir():
            raise ServiceError(f"Archivo: la carpeta {p} no existe.")
        p = p / default
    suffix = p.suffix.lower()
    if suffix[1:].isalpha() and suffix != f".{fmt}":
        raise ServiceError(
            f"Archivo: {p.name} tiene la extensión {suffix}, pero el formato es {fmt}. "
            f"Use {p.stem}.{fmt}, o elija el formato {suffix[1:]}.")
    if suffix != f".{fmt}":
        p = p.with_name(p.name + f".{fmt}")
    if not p.parent.is_dir():
        raise ServiceError(f"Archivo: la carpeta {p.parent} no existe.")
    if p.is_dir():
        raise ServiceError(f"Archivo: {p} es una carpeta; escriba un nombre de archivo.")
    if p.exists() and not force:
        raise TargetExists(p.resolve())
    return p.resolve()


def _temp_beside(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    return Path(name)


def _write_bytes(target: Path, data: bytes) -> None:
    tmp = _temp_beside(target)
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---- one solicitud -------------------------------------------------------------------------------
@checked
async def ficha(pool: Pool, actor: Actor, codigo_or_id: str) -> ec.Ficha:
    """The complete Ficha de Caracterización, if the actor may see the solicitud."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        sol_id = await AQ.export_solicitud_id_by_codigo(conn, codigo=codigo_or_id.strip())
    sol = await solicitudes.get(pool, actor, sol_id or codigo_or_id)
    pid = sol.data["programaId"]
    async with pool.connection() as conn:
        obj = [f"{r['orden']}. {r['descripcion']}"
               async for r in AQ.admin_programa_objetivos(conn, programa_id=pid)]
        com = [(f"{r['codigo']}: " if r["codigo"] else "") + r["descripcion"]
               async for r in AQ.admin_programa_competencias(conn, programa_id=pid)]
        res = [(f"{r['codigo']}: " if r["codigo"] else "") + r["descripcion"]
               async for r in AQ.admin_programa_resultados(conn, programa_id=pid)]
    return ec.build_ficha(sol.data, sol.horarios, sol.historial, obj, com, res, utcnow())


@checked
async def export_solicitud(pool: Pool, actor: Actor, codigo_or_id: str, fmt: str,
                           path: str | os.PathLike[str] | None = None,
                           force: bool = False) -> ExportResult:
    """Write one solicitud's ficha as PDF or XLSX (default name CODIGO.pdf|xlsx); returns
    where it went."""
    actor = await gate(pool, actor)
    fmt = (fmt or "").lower()
    if fmt not in SOLICITUD_FORMATS:
        raise ServiceError("Formato: una solicitud se exporta como pdf o xlsx.")
    data = await ficha(pool, actor, codigo_or_id)
    target = resolve_target(path, fmt, f"{data.codigo}.{fmt}", force)
    if fmt == "pdf":
        from tui.render.pdf import ficha_pdf

        content = await asyncio.to_thread(ficha_pdf, data)
    else:
        from tui.render.xlsx import ficha_xlsx

        content = await asyncio.to_thread(ficha_xlsx, data)
    await asyncio.to_thread(_write_bytes, target, content)
    async with pool.connection() as conn:
        await audit.record(conn, "export", actor=actor, target=data.codigo,
                           detail={"formato": fmt, "archivo": target.name, "filas": 1})
    return ExportResult(target, 1)


# ---- lists ---------------------------------------------------------------------------------------
def describe_filters(f: Filtros, centro_codigo: str | None = None) -> str:
    parts = []
    if f.estado:
        parts.append(f"estado {ec.estado_label(f.estado)}")
    if f.year:
        parts.append(f"año {f.year}")
    if centro_codigo or f.centro_id:
        parts.append(f"centro {centro_codigo or f.centro_id}")
    if f.desde:
        parts.append(f"desde {ec.fecha_corta(f.desde)}")
    if f.hasta:
        parts.append(f"hasta {ec.fecha_corta(f.hasta)}")
    if f.texto:
        parts.append(f"búsqueda «{f.texto}»")
    elif f.orden is not None and f.orden != next(iter(solicitudes.ORDENES)):
        parts.append(f"orden: {solicitudes.ORDENES.get(f.orden, f.orden)}")
    return ", ".join(parts) or "sin filtros"


class _CsvWriter:
    """One row per item (`values` makes its typed cells). UTF-8 with BOM (Excel reads the
    accents); separator and decimal mark of the dialect; dates dd/mm/aaaa; formulas made
    text."""

    def __init__(self, path: Path, dialect: xf.CsvDialect, headers: tuple[str, ...] =
                 ec.LIST_HEADERS, values: Callable[[Any], list[Any]] = ec.list_row) -> None:
        self.dialect, self.values = dialect, values
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.out = xf.csv_writer(self.file, dialect)
        self.out.writerow(headers)

    def add(self, rows: list[Any]) -> None:
        self.out.writerows([sheet_cell(xf.csv_value(v, self.dialect)) for v in self.values(r)]
                           for r in rows)

    def finish(self, summary: Any) -> None:
        self.file.close()

    def abort(self) -> None:
        self.file.close()


def _dialect(csv_dialect: str | None) -> str:
    dialect = csv_dialect or xf.default_csv_dialect()
    if dialect not in xf.CSV_DIALECTS:
        raise ServiceError("Dialecto CSV: use " + " o ".join(xf.CSV_DIALECTS) + ".")
    return dialect


def _writer(fmt: str, path: Path, dialect: str = "excel-es") -> Any:
    if fmt == "csv":
        return _CsvWriter(path, xf.CSV_DIALECTS[dialect])
    if fmt == "xlsx":
        from tui.render.xlsx import ListXlsxWriter

        return ListXlsxWriter(path)
    from tui.render.pdf import ListPdfWriter

    return ListPdfWriter(path)


async def _alcance(conn: Any, actor: Actor, filtros: Filtros) -> tuple[str, str | None]:
    """What the list covers, for its heading («Centro CIDM - …», «Todos los centros»), and
    the code of the centro filter, if any."""
    if filtros.centro_id:
        row = await AQ.export_centro_by_id(conn, id=filtros.centro_id)
        if row is not None:
            return f"Centro {row['codigo']} - {row['nombre']}", str(row["codigo"])
    if actor.is_admin:
        return "Todos los centros", None
    if actor.is_coordinador:
        return f"Centro {actor.centro_codigo} - {actor.centro_nombre}", None
    return f"Solicitudes de {actor.name}", None


@checked
async def export_list(pool: Pool, actor: Actor, filtros: Filtros | None, fmt: str,
                      path: str | os.PathLike[str] | None = None,
                      progress: Progress | None = None, cancel: CancelToken | None = None,
                      centro_codigo: str | None = None, force: bool = False,
                      csv_dialect: str | None = None) -> ExportResult:
    """Stream the filtered list in the actor's scope into CSV, XLSX (resumen, listado, por
    centro, por instructor, por programa) or a PDF summary. `progress(done, total)` is called
    after every batch; a cancelled token raises ExportCancelled and leaves no file. No path:
    «solicitudes-AAAAMMDD-HHMM.fmt» (Bogotá time) in the current folder. `csv_dialect`:
    excel-es or rfc4180 (default: `export_format.default_csv_dialect`)."""
    actor = await gate(pool, actor)
    fmt = (fmt or "").lower()
    if fmt not in LIST_FORMATS:
        raise ServiceError("Formato: una lista se exporta como csv, xlsx o pdf.")
    dialect = _dialect(csv_dialect)
    filtros = filtros or Filtros()
    target = resolve_target(path, fmt, default_name("solicitudes", fmt), force)
    tmp = _temp_beside(target)
    writer: Any = None
    done = 0
    try:
        async with pool.connection() as conn:
            actor = await refresh_actor(conn, actor)
            params = solicitudes._filter_params(actor, filtros)
            total = int(await AQ.count_solicitudes(conn, **params, cap=None))  # exact
            alcance, codigo = await _alcance(conn, actor, filtros)
            centro_codigo = centro_codigo or codigo
            summary = ListSummary(actor, describe_filters(filtros, centro_codigo),
                                  ec.fecha_hora_larga(utcnow()), alcance)
            writer = await asyncio.to_thread(_writer, fmt, tmp, dialect)
            if progress:
                progress(0, total)
            async with conn.transaction():
                cur = conn.cursor("cx_export", row_factory=dict_row)
                try:
                    await cur.execute(AQ.export_solicitudes.sql, params)
                    while batch := await cur.fetchmany(BATCH):
                        if cancel is not None and cancel.cancelled:
                            raise ExportCancelled("Exportación cancelada: no se guardó "
                                                  "ningún archivo.")
                        for r in batch:
                            summary.add(r)
                        await asyncio.to_thread(writer.add, batch)
                        done += len(batch)
                        if progress:
                            progress(done, max(total, done))
                finally:
                    await cur.close()
        if cancel is not None and cancel.cancelled:
            raise ExportCancelled("Exportación cancelada: no se guardó ningún archivo.")
        await _publish(pool, actor, writer, summary, tmp, target, "lista", fmt, done,
                       describe_filters(filtros, centro_codigo))
    except BaseException:
        _drop(writer, tmp)
        raise
    return ExportResult(target, done)


def _drop(writer: Any, tmp: Path) -> None:
    """A failed or cancelled export leaves no file."""
    if writer is not None:
        writer.abort()
    tmp.unlink(missing_ok=True)


async def _publish(pool: Pool, actor: Actor, writer: Any, summary: Any, tmp: Path,
                   target: Path, what: str, fmt: str, rows: int, filtros: str) -> None:
    """Finish the file written beside the target, put it in place and audit the export (a
    writer finished already may still be aborted: that only closes it again)."""
    await asyncio.to_thread(writer.finish, summary)
    tmp.replace(target)
    async with pool.connection() as conn:
        await audit.record(conn, "export", actor=actor, target=what,
                           detail={"formato": fmt, "archivo": target.name, "filas": rows,
                                   "filtros": filtros})


@checked
async def export_view(pool: Pool, actor: Actor, view: ListView, fmt: str,
                      path: str | os.PathLike[str] | None = None,
                      progress: Progress | None = None, cancel: CancelToken | None = None,
                      force: bool = False, csv_dialect: str | None = None) -> ExportResult:
    """Every row of a list screen's view, in its order, into CSV or XLSX (one sheet). The
    rows come from the list's own service with the view's arguments, so the actor is checked
    and scoped there on every page (an instructor never reads the users list; only an admin
    reads the audit). No path: «<nombre>-AAAAMMDD-HHMM.fmt» (Bogotá time) in the current
    folder. `progress(done, total)` after every page; a cancelled token raises
    ExportCancelled and leaves no file."""
    if not isinstance(view, ListView) or view.service not in LIST_SERVICES:
        raise ServiceError("Lista: esta lista no se puede exportar.")
    actor = await gate(pool, actor)
    fmt = (fmt or "").lower()
    if fmt not in VIEW_FORMATS:
        raise ServiceError("Formato: esta lista se exporta como csv o xlsx.")
    dialect = _dialect(csv_dialect)
    page = await view.service(pool, actor, cursor=None, limit=VIEW_PAGE, **view.params)
    target = resolve_target(path, fmt, default_name(view.nombre, fmt), force)
    tmp = _temp_beside(target)
    headers = tuple(label for label, _value in view.columns)

    def values(row: Any) -> list[Any]:
        return [value(row) for _label, value in view.columns]

    writer: Any = None
    done = 0
    try:
        if fmt == "csv":
            writer = _CsvWriter(tmp, xf.CSV_DIALECTS[dialect], headers, list)
        else:
            from tui.render.xlsx import TableXlsxWriter

            writer = TableXlsxWriter(tmp, view.titulo, headers)
        while True:
            if cancel is not None and cancel.cancelled:
                raise ExportCancelled("Exportación cancelada: no se guardó ningún archivo.")
            await asyncio.to_thread(writer.add, [values(r) for r in page.rows])
            done += len(page.rows)
            if progress:
                progress(done, max(page.total, done))
            if page.next_cursor is None:
                break
            page = await view.service(pool, actor, cursor=page.next_cursor, limit=VIEW_PAGE,
                                      **view.params)
        await _publish(pool, actor, writer, view.filtros, tmp, target, view.nombre, fmt, done,
                       view.filtros)
    except BaseException:
        _drop(writer, tmp)
        raise
    return ExportResult(target, done)
