"""Every public service, and a valid call of each: the sample value of each parameter, by name.

Shared by the gate tests (a user with a pending password change is refused everywhere) and
the hostile-input suite (each parameter replaced by hostile values). A new service or a new
required parameter without a sample here makes `test_every_service_has_a_sample_call` fail.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncssh

import tui.services
from tui.services import boundary, centros
from tui.services.common import Actor, refresh_actor
from tui.services.exports import ListView
from tui.services.solicitudes import Filtros

USERS = {
    "carlos": "carlos.rodriguez@sena.edu.co",    # INSTRUCTOR CGAO
    "maria": "maria.gonzalez@sena.edu.co",       # INSTRUCTOR CGAO
    "juan": "juan.martinez@sena.edu.co",         # COORDINADOR CGAO
    "patricia": "patricia.gomez@sena.edu.co",    # COORDINADOR CIDM
    "admin": "admin@sena.edu.co",                # ADMIN
}

NOT_IN_BOUNDARY: set[str] = set()
PRE_AUTH = {"tui.services.auth.login", "tui.services.tickets.redeem",
            "tui.services.ssh_keys.user_for_key", "tui.services.ssh_keys.record_key_use",
            "tui.services.tickets.issue", "tui.services.exports.acting_user",
            "tui.services.auth.session_for"}
"""Entry points before a session exists: never a validation error, a failed login instead
(tested with hostile values in test_svc_hostile.py); session_for turns an SSH key or ticket
already verified into a session (the account must be active)."""
GATE = {"tui.services.common.gate"}
"""The actor check itself (what every wrapped service calls first)."""
CLI_ONLY = {"tui.services.notifications.remind", "tui.services.users.bootstrap_create",
            "tui.services.users.list_all"}
"""Run by the command line (cron, the first admin of a new database) with no acting user: the
operator's access to the server and its database is the authority."""
INTERNAL = {"tui.services.auth.set_password"}
"""Called by a gated service after its gate (change_password): it takes the account, not an
acting user, and refuses an inactive one itself."""
PENDING_OK = {"tui.services.auth.change_password", "tui.services.auth.session_for",
              "tui.services.auth.set_password", "tui.services.users.update_own_profile",
              "tui.services.users.get_user"}
"""What a user with a temporary password may still call (get_user: their own profile only)."""


def qualname(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__name__}"


def public_services() -> list[Callable[..., Awaitable[Any]]]:
    """Every public coroutine function of tui.services whose first parameter is `pool`."""
    found = []
    for info in pkgutil.iter_modules(tui.services.__path__):
        module = importlib.import_module(f"tui.services.{info.name}")
        for name, fn in vars(module).items():
            if name.startswith("_") or getattr(fn, "__module__", None) != module.__name__:
                continue
            target = inspect.unwrap(fn) if callable(fn) else fn
            if inspect.iscoroutinefunction(target) and \
                    next(iter(inspect.signature(target).parameters), None) == "pool":
                found.append(fn)
    return found


@dataclass
class Ctx:
    pool: Any
    url: str
    tmp: Path
    actors: dict[str, Actor]
    ids: dict[str, str]
    key_text: str


async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def make_ctx(pool: Any, url: str, tmp: Path) -> Ctx:
    actors = {}
    for who, email in USERS.items():
        uid = (await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', email))[0]
        async with pool.connection() as conn:
            actors[who] = await refresh_actor(conn, uid["id"])
    one = {
        "sol": ('SELECT "id" FROM public.solicitudes WHERE "codigo" = %s', "SOL-2026-002"),
        "draft": ('SELECT "id" FROM public.solicitudes WHERE "codigo" = %s', "SOL-2026-005"),
        "prog": ('SELECT "id" FROM public.programas WHERE "codigo" = %s', "CF-001-2024"),
        "notif": ('SELECT "id" FROM public.notificaciones WHERE "usuarioId" = %s LIMIT 1',
                  actors["carlos"].id),
    }
    ids = {k: (await sql(pool, q, p))[0]["id"] for k, (q, p) in one.items()}
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode().strip()
    return Ctx(pool, url, tmp, actors, ids, key)


def samples(ctx: Ctx, actor: Actor) -> dict[str, Any]:
    """A valid value per parameter name, for `actor`."""
    a = ctx.actors
    return {
        "pool": ctx.pool, "actor": actor, "url": ctx.url, "count": 1,
        "solicitud_id": ctx.ids["draft"] if actor.is_instructor else ctx.ids["sol"],
        "codigo_or_id": "SOL-2026-002", "programa_id": ctx.ids["prog"],
        "notificacion_id": ctx.ids["notif"], "user_id": a["maria"].id,
        "user_ids": [a["maria"].id], "centro_id": actor.centro_id,
        "texto": "excel", "comentarios": "Complete la justificación.", "motivo": "Motivo.",
        "titulo": "Aviso", "mensaje": "Texto del aviso", "email": "nuevo.usuario@sena.edu.co",
        "name": "Nuevo Usuario", "nombre": "Centro Nuevo", "cedula": "1234567890",
        "role": "INSTRUCTOR", "codigo": "CX-999", "ciudad": "Bogotá", "region": "Andina",
        "direccion": "Calle 1 # 2-3", "telefono": "3001234567", "especialidad": "Redes",
        "desde": date(2026, 1, 1), "hasta": date(2026, 12, 31), "fmt": "csv",
        "path": str(ctx.tmp / "salida.csv"), "text": ctx.key_text, "key_id": 1,
        "current": "Instructor.2026", "new": "Otra.Clave.2027x", "confirm": "Otra.Clave.2027x",
        "password": "Temporal.Clave.2026", "must_change": True, "active": False,
        "form": {"programaId": ctx.ids["prog"]}, "horarios": [],
        "expected_updated_at": datetime(2026, 11, 1), "filtros": Filtros(texto="excel"),
        "tipo_formacion": "COMPLEMENTARIA", "modalidad": "PRESENCIAL", "duracion_horas": 40,
        "cupo_aprendices": 30, "descripcion": "Descripción", "objetivos": ["Objetivo"],
        "competencias": [], "resultados": [], "source": "local", "ttl_s": 60,
        "centro_codigo": None, "ticket": "x", "fingerprint": "SHA256:x", "days": 7,
        "view": ListView("centros", "Centros", (("Código", lambda c: c.codigo),),
                         centros.list_centros, {"texto": "a"}),
    }


def call_args(fn: Callable[..., Any], values: dict[str, Any],
              **override: Any) -> dict[str, Any]:
    """Keyword arguments for `fn`: every required parameter from `values`, plus `override`."""
    args = {}
    for name, p in inspect.signature(fn).parameters.items():
        if name in override:
            args[name] = override[name]
        elif p.default is inspect.Parameter.empty:
            args[name] = values[name]
    return args


def checked_services() -> list[Callable[..., Awaitable[Any]]]:
    public_services()  # importing every module registers its services
    return list(boundary.SERVICES)
