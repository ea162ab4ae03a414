"""Auditoría (admins): search the append-only audit trail, newest first."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select

from tui.render.content import hora_local
from tui.screens.admin.admin_list import AdminListScreen
from tui.services import audit
from tui.services.common import Page
from tui.services.labels import enum_label
from tui.uikit import keymap
from tui.uikit.formatting import fecha_hora


def detail_text(entry: audit.AuditEntry) -> str:
    """The detail as `key: value` pairs on one line (values as stored, never markup)."""
    parts = []
    for key, value in entry.detail.items():
        value = [enum_label(v) for v in value] if isinstance(value, list) else enum_label(value)
        shown = ", ".join(map(str, value)) if isinstance(value, list) else \
            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    if entry.source:
        parts.append(f"origen: {entry.source}")
    return " · ".join(parts)


class AuditScreen(AdminListScreen):
    """Auditoría."""

    HELP = keymap.HELP["AuditScreen"]
    PREFIX = "audit"
    NOUN = ("entrada", "entradas")
    COLUMNS = (("Fecha", 16, False), ("Acción", 18, False), ("Usuario", 14, True),
               ("Objetivo", 10, True), ("Detalle", 10, True))
    BINDINGS = keymap.BINDINGS["AuditScreen"]

    def heading(self) -> str:
        return "Auditoría"

    def compose_filters(self) -> ComposeResult:
        yield Select([(label, key) for key, label in audit.ACTIONS.items()],
                     prompt="Acción: todas", id="audit-action", compact=True)
        for side in ("desde", "hasta"):
            yield Input(placeholder=f"{side} dd/mm/aaaa", id=f"audit-{side}", classes="audit-date",
                        compact=True)

    ORDERS = audit.ORDENES
    EXPORT_NAME, EXPORT_TITLE = "auditoria", "Auditoría"

    def service(self) -> Callable[..., Awaitable[Page[Any]]]:
        return audit.search

    def export_columns(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        return (("Fecha", lambda e: hora_local(e.at)), ("Acción", lambda e: e.label),
                ("Usuario", lambda e: e.actor_email or ""), ("Objetivo", lambda e: e.target or ""),
                ("Detalle", detail_text))

    def filter_words(self, key: str, value: Any) -> str:
        if key == "action":
            return f"acción {audit.ACTIONS.get(value, value)}"
        return super().filter_words(key, value)

    def cells(self, e: audit.AuditEntry) -> list[str]:
        return [fecha_hora(e.at), e.label, e.actor_email or "—", e.target or "—",
                detail_text(e) or "—"]

    @on(Select.Changed, "#audit-action")
    def _action_changed(self, event: Select.Changed) -> None:
        self.set_filter(action=None if event.value is Select.NULL else str(event.value))

    @on(Input.Submitted, ".audit-date")
    def _dates_done(self) -> None:
        self.set_filter(desde=self.query_one("#audit-desde", Input).value.strip() or None,
                        hasta=self.query_one("#audit-hasta", Input).value.strip() or None)
        self.table.focus()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [("Auditoría: buscar", "Buscar en usuario, objetivo y detalle",
                 self.action_search)]

    def action_dates(self) -> None:
        self.query_one("#audit-desde", Input).focus()
