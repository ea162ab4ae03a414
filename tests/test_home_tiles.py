"""80x24: the home screen's estado tiles show every estado's label, or its abbreviation when
the notifications take half the width, never a label broken over two lines."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tui.services.model import ESTADO_LABEL, ESTADO_SHORT, ESTADOS
from tui.widgets.estado_tiles import EstadoTiles

from .conftest import settle, wait_until


def first_lines(app: Any) -> dict[str, str]:
    tiles = app.screen.query_one(EstadoTiles)
    return {e: str(tiles.tiles[e].render()).split("\n")[0] for e in ESTADOS}


def test_every_abbreviation_is_short_and_distinct() -> None:
    assert all(len(ESTADO_SHORT[e]) <= 5 for e in ESTADOS)
    assert len(set(ESTADO_SHORT.values())) == len(ESTADOS)


async def test_tiles_abbreviate_beside_the_notifications_and_come_back(
        make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query_one(EstadoTiles).counts is not None)
        assert first_lines(app) == ESTADO_LABEL
        await pilot.press("f2")
        await wait_until(pilot, lambda: first_lines(app) != ESTADO_LABEL)
        assert first_lines(app) == ESTADO_SHORT
        for e in ESTADOS:  # one line of label, one of count: nothing wrapped
            tile: Static = app.screen.query_one(EstadoTiles).tiles[e]
            assert tile.content_size.width >= len(ESTADO_SHORT[e])
            assert len(tile.render().plain.split("\n")) == 2
        await pilot.press("f2")
        await wait_until(pilot, lambda: first_lines(app) == ESTADO_LABEL)
        await settle(pilot)
