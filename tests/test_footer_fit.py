"""80x24: the footer shows whole keys only. A line of keys too long for the terminal loses its
last keys (F1 lists them all), never half of one ("^q S")."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Footer

from tui.widgets.lean_footer import WholeKey

from .conftest import settle


def footer_row(app: Any) -> str:
    """The footer's row as the terminal shows it."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[app.screen.query_one(Footer).region.y])


@pytest.mark.parametrize(("who", "width"), [("juan", 80), ("admin", 80), ("carlos", 80)])
async def test_no_key_is_cut_and_a_wider_terminal_shows_it(
        make_app: Any, login_as: Any, who: str, width: int) -> None:
    app = make_app(await login_as(who))
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        cut_somewhere = False
        for action in ("", "open_solicitudes"):
            if action:
                getattr(app, f"action_{action}")()
                await settle(pilot)
            keys = [k for k in app.screen.query(WholeKey) if k.display]
            assert keys, "the footer draws its keys itself"
            cut = [k for k in keys if k.region.right > k.parent.region.right]
            if not cut:
                continue
            cut_somewhere = True
            line = footer_row(app).rstrip()
            for key in keys:
                text = f"{key.key_display} {key.description}"
                if key in cut:
                    assert key.description not in line, (key.description, line)
                else:
                    assert text in line, (text, line)
            assert line.endswith(next(k for k in reversed(keys) if k not in cut).description)
            await pilot.resize_terminal(200, 24)
            await settle(pilot)
            line = footer_row(app).rstrip()
            assert cut[0].description in line, (cut[0].description, line)
            await pilot.resize_terminal(width, 24)
            await settle(pilot)
        assert cut_somewhere, f"{who}: every key fits at {width} columns: nothing to prove here"
