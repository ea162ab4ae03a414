"""Counts per estado as a row of tiles (all six estados, over the whole scope), each in its
estado's colour (`model.Estado.tone`: the class tone-<tone>, styled in app.tcss). A tile too
narrow for its estado's label (six tiles beside the notifications at 80 columns) shows the
estado's abbreviation instead of a label broken over two lines."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.services.model import ESTADO_LABEL, ESTADO_SHORT, ESTADO_TONE, ESTADOS


class EstadoTiles(Horizontal):
    """Solicitudes por estado."""

    def __init__(self, estados: tuple[str, ...] = ESTADOS, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.estados = estados
        self.counts: dict[str, int] | None = None
        """The counts shown (None: still loading)."""
        # Made here, not in compose: counts that arrive before the tiles are mounted (a live
        # notification at start-up reloads the home screen) are kept, not lost in a NoMatches.
        self.tiles = {e: Static(f"{ESTADO_LABEL[e]}\n…", id=f"tile-{e}",
                                classes=f"tile tone-{ESTADO_TONE[e] or 'plain'}")
                      for e in estados}

    def compose(self) -> ComposeResult:
        yield from self.tiles.values()

    def update_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self._draw()

    def on_resize(self, _event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        for e, tile in self.tiles.items():
            width = tile.content_size.width
            label = ESTADO_LABEL[e] if not width or cell_len(ESTADO_LABEL[e]) <= width \
                else ESTADO_SHORT[e]
            tile.update(f"{label}\n{'…' if self.counts is None else self.counts.get(e, 0)}")
