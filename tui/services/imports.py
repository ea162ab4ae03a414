"""Instructor import from CSV or XLSX: a dry run per row, then one transaction.

Columns nombres, apellidos, cedula, email, telefono, especialidad, in any order, headers in any
case and with or without accents (telefono and especialidad may be missing). Each row is
validated with the rules of `users` (institutional email, cédula digits, phone, text) and
ends as «crear», «duplicado» (email or cédula already registered, or repeated earlier in the
file) or «error» with the reasons. The import re-checks everything, hashes the temporary
passwords (bcrypt, in threads, before the transaction), then inserts every «crear» row in one
transaction: all or nothing. Coordinators import into their own centro; admins name one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import asyncio
import csv
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg

from tui.db.queries import AQ
from tui.render.format import numero, plural, stamp
from tui.services import audit, users
from tui.services.auth import hash_password, temporary_password
from tui.services.boundary import checked
from tui.services.common import (
    Actor,
    PermissionDenied,
    ServiceError,
    gate,
    refresh_actor,
    utcnow,
)
from tui.services.ids import new_id
from tui.services.import_files import (  # noqa: F401 - re-exported for the screens and CLI
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    ImportError_,
    read_table,
)
from tui.services.text import inert, sheet_cell
from tui.services.validation import ValidationFailed

CREAR, DUPLICADO, ERROR = "crear", "duplicado", "error"
STATUS_LABEL = {CREAR: "Se crea", DUPLICADO: "Duplicado", ERROR: "Error"}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportRow:
    linea: int              # the row number in the file (the header is line 1)
    nombre: str
    email: str
    cedula: str
    estado: str             # crear | duplicado | error
    motivo: str = ""
    values: dict[str, Any] | None = None
    password: str | None = None   # only after the import, shown once


@dataclass(frozen=True)
class ImportReport:
    rows: tuple[ImportRow, ...]
    centro_codigo: str
    centro_nombre: str
    dry_run: bool

    def count(self, estado: str) -> int:
        return sum(1 for r in self.rows if r.estado == estado)

    @property
    def created(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.password)

    def summary(self) -> str:
        """«11 filas: 3 se crearán, 4 duplicados, 4 con errores · centro CGAO»."""
        n = self.count(CREAR)
        verb = (("se creará", "se crearán") if self.dry_run else ("creado", "creados"))[n != 1]
        return (f"{plural(len(self.rows), 'fila')}: {numero(n)} {verb}, "
                f"{plural(self.count(DUPLICADO), 'duplicado')}, "
                f"{numero(self.count(ERROR))} con errores · centro {self.centro_codigo}")


# ---- checking the rows ---------------------------------------------------------------------------
def cedula_digits(text: str) -> str:
    """«1.098.765.432» or «1 098 765 432» as SENA spreadsheets write them -> «1098765432»;
    anything else is left for the validation to refuse with its reason."""
    compact = re.sub(r"[.\s\u00a0]", "", text)
    return compact if compact.isdigit() and compact.isascii() else text


def _refused(message: str, value: str) -> str:
    """The reason, and the value read from the file when there was one («Cédula: debe tener
    solo dígitos, entre 5 y 15. Se leyó «12AB».»)."""
    return f"{message} Se leyó «{inert(value)}»." if value else message


def _check(line: int, v: dict[str, str]) -> ImportRow:
    nombre = " ".join(f"{v.get('nombres', '')} {v.get('apellidos', '')}".split())
    email, cedula = v.get("email", ""), cedula_digits(v.get("cedula", ""))
    reasons = [f"{label}: es obligatorio." for col, label in
               (("nombres", "Nombres"), ("apellidos", "Apellidos")) if not v.get(col)]
    values: dict[str, Any] | None = None
    try:
        values = users._validate(dict(
            email=email, name=nombre, cedula=cedula, role="INSTRUCTOR",
            telefono=v.get("telefono") or None, especialidad=v.get("especialidad") or None))
    except ValidationFailed as exc:
        reasons += [_refused(e.message, v.get(e.field, "")) for e in exc.errors
                    if not (e.field == "name" and reasons)]
    if reasons:
        return ImportRow(line, nombre, email, cedula, ERROR, " ".join(reasons))
    assert values is not None
    return ImportRow(line, nombre, values["email"], values["cedula"], CREAR, values=values)


async def _centro(conn: Any, actor: Actor, centro_codigo: str | None) -> dict[str, Any]:
    if actor.is_instructor:
        raise PermissionDenied("Solo coordinadores y administradores importan instructores.")
    codigo = (centro_codigo or "").strip()
    if actor.is_coordinador:
        if codigo and codigo.upper() != actor.centro_codigo.upper():
            raise PermissionDenied("Centro: un coordinador solo importa instructores a su "
                                   "propio centro.")
        codigo = actor.centro_codigo
    elif not codigo:
        raise ServiceError("Centro: como administrador, elija el centro al que se importan "
                           "los instructores.")
    row = await AQ.export_centro_by_codigo(conn, codigo=codigo)
    if row is None or not row["isActive"]:
        raise ServiceError(f"Centro: no existe un centro activo con código {codigo!r}.")
    return dict(row)


async def _classify(conn: Any, table: list[tuple[int, dict[str, str]]]) -> list[ImportRow]:
    rows = [_check(line, v) for line, v in table]
    ok = [r for r in rows if r.estado == CREAR]
    taken_email, taken_cedula = set(), set()
    async for t in AQ.import_taken(conn, emails=[r.email for r in ok],
                                   cedulas=[r.cedula for r in ok]):
        taken_email.add(t["email"])
        taken_cedula.add(t["cedula"])
    seen_email: dict[str, int] = {}
    seen_cedula: dict[str, int] = {}
    out = []
    for r in rows:
        if r.estado == CREAR:
            why = []
            if r.email in taken_email:
                why.append(f"el correo {r.email} ya está registrado")
            if r.cedula in taken_cedula:
                why.append(f"la cédula {r.cedula} ya está registrada")
            if r.email in seen_email:
                why.append(f"el correo se repite (fila {seen_email[r.email]})")
            if r.cedula in seen_cedula:
                why.append(f"la cédula se repite (fila {seen_cedula[r.cedula]})")
            seen_email.setdefault(r.email, r.linea)
            seen_cedula.setdefault(r.cedula, r.linea)
            if why:
                r = replace(r, estado=DUPLICADO, motivo="Duplicado: " + "; ".join(why) + ".")
        out.append(r)
    return out


@checked
async def dry_run(pool: Pool, actor: Actor, path: str | os.PathLike[str],
                  centro_codigo: str | None = None) -> ImportReport:
    """What the import would do, row by row; writes nothing."""
    actor = await gate(pool, actor)  # before the file is read
    table = await asyncio.to_thread(read_table, path)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        centro = await _centro(conn, actor, centro_codigo)
        rows = await _classify(conn, table)
    return ImportReport(tuple(rows), centro["codigo"], centro["nombre"], True)


@checked
async def run_import(pool: Pool, actor: Actor, path: str | os.PathLike[str],
                     centro_codigo: str | None = None,
                     progress: Progress | None = None) -> ImportReport:
    """Create every «crear» row in one transaction (all or nothing); the report carries each
    new account's temporary password, to show once."""
    actor = await gate(pool, actor)  # before the file is read
    table = await asyncio.to_thread(read_table, path)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        centro = await _centro(conn, actor, centro_codigo)
        rows = await _classify(conn, table)
    todo = [r for r in rows if r.estado == CREAR]
    done = 0

    async def hashed(r: ImportRow) -> tuple[ImportRow, str]:
        nonlocal done
        password = temporary_password()
        digest = await hash_password(password)
        done += 1
        if progress:
            progress(done, len(todo))
        return replace(r, password=password), digest

    if progress:
        progress(0, len(todo))
    prepared = await asyncio.gather(*(hashed(r) for r in todo))
    scope = users._scope(actor)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        current: ImportRow | None = None
        try:
            async with conn.transaction():
                now = utcnow()
                for current, digest in prepared:
                    user_id = new_id()
                    assert current.values is not None
                    row = await AQ.admin_user_insert(conn, id=user_id, password=digest, now=now,
                                                     centro_id=centro["id"], **scope,
                                                     **current.values)
                    if row is None:
                        raise PermissionDenied("No puede crear instructores en ese centro.")
                    await AQ.set_must_change_password(conn, id=user_id, must_change=True)
                await audit.record(conn, "import", actor=actor, target=centro["codigo"],
                                   detail={"archivo": os.path.basename(path),
                                           "creados": len(prepared),
                                           "omitidos": len(rows) - len(prepared)})
        except psycopg.errors.UniqueViolation as exc:
            line = current.linea if current else "?"
            raise ServiceError(f"Fila {line}: el correo o la cédula acaba de registrarse en "
                               "otra sesión. No se creó ningún instructor; revise el archivo "
                               "de nuevo.") from exc
    created = {r.linea: r for r, _d in prepared}
    final = tuple(created.get(r.linea, r) for r in rows)
    return ImportReport(final, centro["codigo"], centro["nombre"], False)


def write_passwords(report: ImportReport, path: str | os.PathLike[str],
                    force: bool = False) -> Path:
    """The new accounts and their temporary passwords as CSV (owner-only permissions), for
    the coordinator to hand over. An existing file is replaced only with `force`."""
    from tui.services.exports import resolve_target

    p = resolve_target(path, "csv", f"contrasenas-{stamp()}.csv", force)
    if force:
        p.unlink(missing_ok=True)  # a fresh file: owner-only from its creation
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(("fila", "nombre", "email", "cedula", "centro", "contrasena_temporal"))
        for r in report.created:
            out.writerow((r.linea, *(sheet_cell(v) for v in (r.nombre, r.email, r.cedula,
                                                              report.centro_codigo)),
                          r.password))
    return p.resolve()
