"""The export of the view of every list screen (Ctrl+E): every row the list shows with its
filters, search and order (all pages, not the page in view), in CSV (the Spanish dialect: `;`,
UTF-8 with BOM) and XLSX (typed cells), read through the list's own service, which refuses
whoever may not read the list."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from textual.widgets import Input, Static

from tui.screens.admin import admin_list
from tui.screens.common.export_dialog import ExportDialog
from tui.screens.coordinacion import review_queue as queue_screen
from tui.services import audit, centros, exports, programas, solicitudes, users
from tui.services.common import PermissionDenied, ServiceError
from tui.services.solicitudes import Filtros

from .conftest import settle, wait_until
from .ui_wait import until

SIZE = (80, 24)


def read_csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


async def every_row(pool: Any, service: Any, actor: Any, **params: Any) -> list[Any]:
    """The whole list, page after page, as its screen reads it."""
    rows: list[Any] = []
    cursor: str | None = None
    while True:
        page = await service(pool, actor, cursor=cursor, limit=200, **params)
        rows += page.rows
        cursor = page.next_cursor
        if cursor is None:
            return rows


def view(service: Any, *columns: tuple[str, Any], **params: Any) -> exports.ListView:
    return exports.ListView("prueba", "Prueba", tuple(columns), service, params)


# ---- the service ---------------------------------------------------------------------------------
async def test_view_export_csv_holds_every_page_in_the_order(pool: Any, login_as: Any,
                                                             tmp_path: Path,
                                                             monkeypatch: Any) -> None:
    monkeypatch.setattr(exports, "VIEW_PAGE", 2)  # several pages
    admin = (await login_as("admin")).actor
    v = view(users.list_users, ("Correo", lambda u: u.email), ("Nombre", lambda u: u.name),
             orden="correo", activo=True)
    seen: list[int] = []
    res = await exports.export_view(pool, admin, v, "csv", tmp_path / "usuarios.csv",
                                    csv_dialect="excel-es",
                                    progress=lambda done, total: seen.append(done))
    rows = read_csv(res.path)
    expected = await every_row(pool, users.list_users, admin, orden="correo", activo=True)
    assert rows[0] == ["Correo", "Nombre"]
    assert rows[1:] == [[u.email, u.name] for u in expected]
    assert res.rows == len(expected) > 2 and seen[-1] == len(expected) and len(seen) > 1
    # the search too, and the other order
    v = view(programas.list_programas, ("Código", lambda p: p.codigo), texto="a",
             orden="codigo")
    res = await exports.export_view(pool, admin, v, "csv", tmp_path / "programas.csv")
    expected_p = await every_row(pool, programas.list_programas, admin, texto="a",
                                 orden="codigo")
    assert [r[0] for r in read_csv(res.path)[1:]] == [p.codigo for p in expected_p]
    entry = (await audit.search(pool, admin, action="export")).rows[0]
    assert entry.target == "prueba" and entry.detail["filas"] == len(expected_p)


async def test_view_export_xlsx_cells_are_typed(pool: Any, login_as: Any,
                                                tmp_path: Path) -> None:
    admin = (await login_as("admin")).actor
    from tui.render.content import hora_local

    v = view(audit.search, ("Fecha", lambda e: hora_local(e.at)), ("Acción", lambda e: e.label),
             orden="antiguas")
    res = await exports.export_view(pool, admin, v, "xlsx", tmp_path / "auditoria.xlsx")
    ws = load_workbook(res.path)["Prueba"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("Fecha", "Acción")
    assert len(values) > 1 and all(isinstance(r[0], dt.datetime) for r in values[1:])
    assert [r[0] for r in values[1:]] == sorted(r[0] for r in values[1:])  # oldest first
    v = view(centros.list_centros, ("Código", lambda c: c.codigo),
             ("Usuarios", lambda c: c.usuarios))
    res = await exports.export_view(pool, admin, v, "xlsx", tmp_path / "centros.xlsx")
    rows = list(load_workbook(res.path)["Prueba"].iter_rows(min_row=2, values_only=True))
    assert rows and all(isinstance(n, int) for _c, n in rows)
    assert sum(n for _c, n in rows) == len(await every_row(pool, users.list_users, admin))


async def test_view_export_is_refused_where_the_list_is(pool: Any, login_as: Any,
                                                        tmp_path: Path) -> None:
    carlos = (await login_as("carlos")).actor  # instructor
    juan = (await login_as("juan")).actor  # coordinator of CGAO
    name = ("Nombre", lambda u: u.name)
    with pytest.raises(PermissionDenied):
        await exports.export_view(pool, carlos, view(users.list_users, name), "csv",
                                  tmp_path / "u.csv")
    with pytest.raises(PermissionDenied):
        await exports.export_view(pool, juan, view(audit.search, ("Fecha", lambda e: e.at)),
                                  "csv", tmp_path / "a.csv")
    with pytest.raises(PermissionDenied):
        await exports.export_view(pool, carlos, view(solicitudes.review_queue,
                                                     ("Código", lambda r: r["codigo"])),
                                  "csv", tmp_path / "q.csv")
    assert list(tmp_path.iterdir()) == []  # nothing written for a refusal
    # a coordinator exports their centro's instructors only
    res = await exports.export_view(pool, juan, view(users.list_users, name,
                                                     ("Centro", lambda u: u.centro_codigo),
                                                     ("Rol", lambda u: u.role)),
                                    "csv", tmp_path / "instructores.csv")
    rows = read_csv(res.path)[1:]
    assert rows and {(r[1], r[2]) for r in rows} == {("CGAO", "INSTRUCTOR")}
    # only the list services; only CSV and XLSX
    with pytest.raises(ServiceError, match="Lista"):
        await exports.export_view(pool, juan, view(solicitudes.list_page, name), "csv",
                                  tmp_path / "x.csv")
    with pytest.raises(ServiceError, match="Formato"):
        await exports.export_view(pool, juan, view(users.list_users, name), "pdf",
                                  tmp_path / "x.pdf")


async def test_view_export_cancel_leaves_no_file(pool: Any, login_as: Any, tmp_path: Path,
                                                 monkeypatch: Any) -> None:
    monkeypatch.setattr(exports, "VIEW_PAGE", 2)
    admin = (await login_as("admin")).actor
    token = exports.CancelToken()
    with pytest.raises(exports.ExportCancelled):
        await exports.export_view(pool, admin, view(users.list_users, ("Nombre", lambda u: u.name)),
                                  "xlsx", tmp_path / "u.xlsx", cancel=token,
                                  progress=lambda done, total: token.cancel())
    assert list(tmp_path.iterdir()) == []


async def test_solicitudes_export_follows_the_lists_order(pool: Any, login_as: Any,
                                                          tmp_path: Path) -> None:
    juan = (await login_as("juan")).actor
    for orden in solicitudes.ORDENES:
        shown = await every_page(pool, juan, Filtros(orden=orden))
        res = await exports.export_list(pool, juan, Filtros(orden=orden), "csv",
                                        tmp_path / f"{orden}.csv", csv_dialect="excel-es")
        assert [r[0] for r in read_csv(res.path)[1:]] == [r["codigo"] for r in shown]
    assert exports.describe_filters(Filtros(orden="antiguas")) == "orden: más antiguas"
    assert exports.describe_filters(Filtros(orden="recientes")) == "sin filtros"


async def every_page(pool: Any, actor: Any, filtros: Filtros) -> list[Any]:
    rows: list[Any] = []
    cursor: str | None = None
    while True:
        page = await solicitudes.list_page(pool, actor, filtros, cursor, 2)
        rows += page.rows
        cursor = page.next_cursor
        if cursor is None:
            return rows


# ---- on screen: Ctrl+E exports what the list shows ---------------------------------------------
def status(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


SCREENS = [  # who, opens, prefix, the second order, a search, a text column of the export
    ("admin", "action_open_users", "users", "correo", "a", 1),
    ("admin", "action_open_centros", "centros", "codigo", None, 0),
    ("admin", "action_open_programas", "programas", "codigo", "a", 0),
    ("admin", "action_open_audit", "audit", "antiguas", None, 1),
    ("juan", "action_open_review_queue", "queue", "recientes", None, 0),
]


@pytest.mark.parametrize("who,action,prefix,orden,texto,column", SCREENS,
                         ids=[s[2] for s in SCREENS])
async def test_ctrl_e_exports_the_view_of_every_list(make_app: Any, login_as: Any, pool: Any,
                                                     tmp_path: Path, monkeypatch: Any,
                                                     who: str, action: str, prefix: str,
                                                     orden: str, texto: str | None,
                                                     column: int) -> None:
    monkeypatch.setattr(admin_list, "PAGE", 1)  # one row in view: the export holds them all
    monkeypatch.setattr(queue_screen, "PAGE", 1)
    await login_as(who)  # a second login: the audit lists more than one entry
    app = make_app(await login_as(who))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        getattr(app, action)()
        await wait_until(pilot, lambda: "Orden:" in status(app, f"#{prefix}-status"))
        screen = app.screen
        await pilot.press("o")
        await wait_until(pilot, lambda: screen.filters.get("orden") == orden
                         and f"Orden: {screen.ORDERS[orden]}" in status(app, f"#{prefix}-status"))
        if texto:
            screen.search(texto)
            await wait_until(pilot, lambda: screen.filters.get("texto") == texto)
        shown = list(screen.rows)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        note = status(app, ".dialog-note")
        assert f"orden: {screen.ORDERS[orden]}" in note
        view = screen.export_view()
        assert view is not None and view.params["orden"] == orden
        assert view.params.get("texto") == texto
        # the whole list as the screen pages it (before the export adds its audit entry)
        everything = await every_row(pool, view.service, app.actor, **view.params)
        path = tmp_path / f"{prefix}.csv"
        dialog.query_one("#export-path", Input).value = str(path)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Listo" in status(app, "#export-status"))
        rows = read_csv(path)
        label, value = view.columns[column]
        assert rows[0] == [h for h, _v in view.columns] and rows[0][column] == label
        assert [r[column] for r in rows[1:]] == [value(r) for r in everything]
        assert value(shown[0]) == rows[1][column]  # the row in view comes first
        assert len(rows) - 1 == len(everything) == screen.total > len(shown) == 1
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
