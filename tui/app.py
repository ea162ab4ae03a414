"""The Textual application: wires the pool, the screens and the styles together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding

from tui.db.pool import make_pool
from tui.screens.status import StatusScreen

if TYPE_CHECKING:
    from tui.database import OpenDatabase


class ComplementariasApp(App[None]):
    """Solicitudes de formación complementaria."""

    CSS_PATH = "app.tcss"
    TITLE = "Complementarias SENA"
    BINDINGS = [Binding("ctrl+q", "quit", "Salir", id="quit", priority=True)]

    def __init__(self, db: OpenDatabase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.db = db
        self.pool = make_pool(db.url)

    async def on_mount(self) -> None:
        await self.pool.open(wait=False)
        self.push_screen(StatusScreen())

    async def on_unmount(self) -> None:
        await self.pool.close()


def run_app(db: OpenDatabase) -> int:
    ComplementariasApp(db).run()
    return 0
