"""SVG snapshots of the administration screens and dialogs at 80x24 and 120x36.

Update after an intended visual change with
`pytest tests/test_snapshots_admin.py --snapshot-update` and review the SVGs in
tests/__snapshots__/test_snapshots_admin/.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from textual.screen import ModalScreen

from .conftest import settle, shown, wait_until
from .test_snapshots import session_for

SIZES = [(80, 24), (120, 36)]


def status_of(pilot: Any, prefix: str) -> str:
    return str(pilot.app.screen.query_one(f"#{prefix}-status").render())


def open_list(action: str, prefix: str, key: str | None = None, ready: str = "Mostrando",
              ready_after: str | None = None) -> Any:
    """run_before: open a screen from the app, wait for its data, optionally press a key that
    opens a dialog (its worker waits for the dialog, so no settle after the key)."""

    async def go(pilot: Any) -> None:
        await settle(pilot)
        getattr(pilot.app, action)()
        await wait_until(pilot, lambda: ready in status_of(pilot, prefix))
        await wait_until(pilot, lambda: all(
            len(s._options) > 1 for s in pilot.app.screen.query(".admin-centros")))
        if key:
            await pilot.press(key)
            assert await shown(pilot, lambda: isinstance(pilot.app.screen, ModalScreen))
            await pilot.pause(0.3)
        if ready_after:  # the dialog's own list
            await wait_until(pilot, lambda: ready_after in str(pilot.app.screen.query_one(
                "#user-picker-status").render()))

    return go


SCREENS = {
    "usuarios": ("admin", open_list("action_open_users", "users")),
    "instructores": ("juan", open_list("action_open_users", "users")),
    "centros": ("admin", open_list("action_open_centros", "centros")),
    "programas": ("admin", open_list("action_open_programas", "programas")),
    "programas_coordinador": ("juan", open_list("action_open_programas", "programas")),
    "migraciones": ("admin", open_list("action_open_migrations", "migrations",
                                       ready="aplicadas")),
    "aviso": ("admin", open_list("action_open_broadcast", "broadcast", ready="")),
    "usuario_nuevo": ("admin", open_list("action_open_users", "users", key="n")),
    "usuario_estadisticas": ("juan", open_list("action_open_users", "users", key="enter")),
    "centro_editar": ("admin", open_list("action_open_centros", "centros", key="e")),
    "programa_editar": ("admin", open_list("action_open_programas", "programas", key="e")),
    "mas_filtros": ("admin", open_list("action_open_solicitudes", "list", key="m")),
    "aviso_usuarios": ("admin", open_list("action_open_broadcast", "broadcast", ready="",
                                          key="ctrl+o", ready_after="usuarios")),
}


def fixed_migration_dates(url: str) -> None:
    """The applied dates are when the test template was migrated: pin them for the SVG."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE complementarias._yoyo_migration "
                     "SET applied_at_utc = '2026-01-15 13:00:00'")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_admin_screen(snap_compare: Any, make_app: Any, demo_url: str, name: str,
                      size: tuple[int, int]) -> None:
    who, run_before = SCREENS[name]
    if name == "migraciones":
        fixed_migration_dates(demo_url)
    app = make_app(session_for(demo_url, who))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
