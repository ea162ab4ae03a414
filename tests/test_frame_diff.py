"""The low-bandwidth frame encoder draws exactly what Textual draws.

Every compositor update of a real session (login, list, row moves, a solicitud, a dialog with
typing, the sidebar, a resize) is written twice, into two terminal emulators (pyte): once as
Textual writes it, once through `FrameDiff`. After every frame both screens must hold the same
characters with the same colours and attributes, and the encoder must write less.
One colour system per process: Rich and Textual cache each style's SGR codes on first use,
so the session runs in 16 colours, the SSH default (the encoder reuses Textual's own codes).
"""

from __future__ import annotations

from typing import Any

import pyte
from rich.color import ColorSystem
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size

from tui.screens.common.solicitud_detail import SolicitudDetailScreen
from tui.shell.frame_diff import FrameDiff

from .conftest import settle, wait_until


class Twin:
    """Two emulated terminals: Textual's own output and the encoder's."""

    def __init__(self, app: Any, size: tuple[int, int]) -> None:
        self.app = app
        self.diff = app._frames or FrameDiff()  # the app's own encoder (Ctrl+L resets it)
        self.native_bytes = self.diff_bytes = self.frames = 0
        self.writes: list[str] = []  # what the encoder sent, frames that changed nothing left out
        self.screens = [pyte.Screen(*size), pyte.Screen(*size)]
        self.streams = [pyte.Stream(screen) for screen in self.screens]
        self.mismatch: str | None = None

    def display(self, _screen: Any, update: Any) -> None:
        if not isinstance(update, (LayoutUpdate, ChopsUpdate)):
            return
        console = self.app.console
        size = Size(*self.app.size)
        if (self.screens[0].columns, self.screens[0].lines) != tuple(size):
            for screen in self.screens:
                screen.resize(size.height, size.width)
        native = update.render_segments(console)
        encoded = self.diff.encode(update, size, console)
        self.native_bytes += len(native.encode())
        self.diff_bytes += len(encoded.encode())
        self.frames += 1
        if encoded:
            self.writes.append(encoded)
        self.streams[0].feed(native)
        self.streams[1].feed(encoded)
        if self.mismatch is None:
            self.mismatch = self.compare()

    def compare(self) -> str | None:
        a, b = self.screens
        for y in range(a.lines):
            for x in range(a.columns):
                if a.buffer[y][x] != b.buffer[y][x]:
                    return (f"frame {self.frames}, cell ({x},{y}): Textual "
                            f"{a.buffer[y][x]} vs encoder {b.buffer[y][x]}\n"
                            + "\n".join(a.display) + "\n----\n" + "\n".join(b.display))
        return None


async def run_session(make_app: Any, login_as: Any, colors: ColorSystem) -> Twin:
    app = make_app(await login_as("juan"))
    twin = Twin(app, (80, 24))
    app._display = twin.display  # the screens call app._display with each update
    async with app.run_test(size=(80, 24)) as pilot:
        app.console._color_system = colors
        await wait_until(pilot, lambda: app.screen.query("#home-recent").first().row_count > 0)
        await pilot.press("l")
        await wait_until(pilot, lambda: app.screen.query("#list-table").first().row_count > 0)
        await pilot.press(*"jjjjkkj")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SolicitudDetailScreen))
        await pilot.press("x")
        await settle(pilot)
        await pilot.press(*"Faltan datos", "escape")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("f2", "escape")
        await settle(pilot)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        await pilot.press("ctrl+p", *"inf")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert twin.mismatch is None, twin.mismatch
        twin.streams[1].feed("\x1b[3;5Hbasura de otro programa\x1b[12;1H\x1b[2K")  # garbled
        assert twin.compare() is not None
        await pilot.press("ctrl+l")
        await settle(pilot)
        twin.mismatch = twin.compare()  # Ctrl+L drew every cell again
    return twin


async def test_encoder_matches_textual_in_16_colours(make_app: Any, login_as: Any) -> None:
    twin = await run_session(make_app, login_as, ColorSystem.STANDARD)
    assert twin.frames > 20
    assert twin.mismatch is None, twin.mismatch
    assert twin.diff_bytes < twin.native_bytes / 3, (twin.diff_bytes, twin.native_bytes)


def test_wide_characters_and_unchanged_cells() -> None:
    """A wide character is never cut in half, and a second identical frame writes nothing."""
    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style
    from textual.geometry import Region
    from textual.strip import Strip

    console = Console(color_system="standard", width=10, height=2)
    diff = FrameDiff()
    red = Style(color="red")

    def frame(text: str) -> str:
        strip = Strip([Segment(text, red)])
        return diff.encode(LayoutUpdate([[strip]], Region(0, 0, 10, 1)), Size(10, 2), console)

    screen = pyte.Screen(10, 2)
    stream = pyte.Stream(screen)
    stream.feed(frame("año 漢字 x"))
    assert screen.display[0].startswith("año 漢字 x")
    assert frame("año 漢字 x") == ""                       # nothing changed: nothing sent
    out = frame("año 漢子 x")                               # the right wide character changed
    stream.feed(out)
    assert screen.display[0].startswith("año 漢子 x")
    assert "漢" not in out and "子" in out
    assert isinstance(LayoutUpdate([], Region(0, 0, 1, 1)), CompositorUpdate)


async def test_scrolling_a_long_list_matches_textual(make_app: Any, login_as: Any,
                                                     demo_url: str) -> None:
    """Moves that scroll the table (down, back up, a page, the wheel) are sent as a terminal
    scroll plus the changed rows, and the screen still equals Textual's own."""
    from tui.synthetic.generator import load_synthetic

    load_synthetic(demo_url, 120, centros=2, instructores=20, programas=4, vacuum=False)
    app = make_app(await login_as("admin"))
    twin = Twin(app, (80, 24))
    app._display = twin.display
    scrolls = 0
    encode = twin.diff.encode

    def counting(update: Any, size: Any, console: Any) -> str:
        nonlocal scrolls
        out = encode(update, size, console)
        scrolls += "\x1b[r" in out
        return out

    twin.diff.encode = counting  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        app.console._color_system = ColorSystem.STANDARD
        await pilot.press("l")
        await wait_until(pilot, lambda: app.screen.query("#list-table").first().row_count > 20)
        for keys in ("j" * 30, "k" * 25, ("pagedown",), ("pageup",), "j" * 5):
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
                assert twin.mismatch is None, twin.mismatch
        table = app.screen.query_one("#list-table")
        for dy in (3, 3, -3):  # the mouse wheel's steps
            table.scroll_relative(y=dy, animate=False)
            await settle(pilot)
            assert twin.mismatch is None, twin.mismatch
        assert twin.mismatch is None, twin.mismatch
    assert scrolls >= 20, scrolls  # most moves past the visible rows scrolled


async def test_a_row_move_and_what_it_changes_go_out_in_one_write(
        make_app: Any, login_as: Any, demo_url: str) -> None:
    """30 moves down a long list: each key is exactly one write, and the moves that show or
    hide footer keys ("Tomar", "Aprobar") or change the row-detail line carry them in that
    same write (Textual alone sent the footer as a second frame ~0.1-0.3 s later)."""
    from tui.synthetic.generator import load_synthetic

    load_synthetic(demo_url, 200, centros=2, instructores=20, programas=4, vacuum=False)
    app = make_app(await login_as("admin"))
    twin = Twin(app, (100, 30))
    app._display = twin.display
    footer_row, with_footer = "\x1b[30;", 0
    async with app.run_test(size=(100, 30)) as pilot:
        app.console._color_system = ColorSystem.STANDARD
        await pilot.press("l")
        await wait_until(pilot, lambda: app.screen.query("#list-table").first().row_count > 30)
        for _ in range(30):
            start = len(twin.writes)
            await pilot.press("j")
            await settle(pilot)
            writes = twin.writes[start:]
            assert len(writes) == 1, writes
            with_footer += footer_row in writes[0]
        assert twin.mismatch is None, twin.mismatch
    assert with_footer >= 3, with_footer  # the walk crossed estados with other actions
