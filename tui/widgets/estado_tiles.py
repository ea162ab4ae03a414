"""Counts per estado as a row of tiles (all six estados, over the whole scope), each in its
estado's colour (`model.Estado.tone`: the class tone-<tone>, styled in app.tcss)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.services.model import ESTADO_LABEL, ESTADO_TONE, ESTADOS


class EstadoTiles(Horizontal):
    """Solicitudes por estado."""

    def __init__(self, estados: tuple[str, ...] = ESTADOS, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.estados = estados
        # Made here, not in compose: counts that arrive before the tiles are mounted (a live
        # notification at start-up reloads the home screen) are kept, not lost in a NoMatches.
        self.tiles = {e: Static(f"{ESTADO_LABEL[e]}\n…", id=f"tile-{e}",
                                classes=f"tile tone-{ESTADO_TONE[e] or 'plain'}")
                      for e in estados}

    def compose(self) -> ComposeResult:
        yield from self.tiles.values()

    def update_counts(self, counts: dict[str, int]) -> None:
        for e, tile in self.tiles.items():
            tile.update(f"{ESTADO_LABEL[e]}\n{counts.get(e, 0)}")
