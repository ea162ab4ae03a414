"""Fails loudly when a Textual upgrade moves what the project's Textual overrides rely on.

Each override of a Textual internal lives in one module, whose docstring says why (README,
"Design notes", lists them). This test names every private class, attribute and method they
use, with the signatures they call or replace, so an upgrade that renames or reshapes one
fails here first, with the module to revisit, instead of silently breaking a screen. The last
tests check that the Textual bugs two overrides work around are still there: when an upgrade
fixes one, its test fails and the override goes. The key order and paste adjustments
(tui/shell/input_guard.py) also have their own check in
tests/test_input_guard.py::test_textual_internals_still_there.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import rich.console
import rich.style
import textual
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.command import CommandPalette
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import DataTable, Footer

ROOT = Path(__file__).resolve().parent.parent


def params(fn: object) -> list[str]:
    return list(inspect.signature(fn).parameters)  # type: ignore[arg-type]


def test_textual_is_pinned_to_the_version_checked_here() -> None:
    """The overrides were written against one Textual release: pyproject pins it exactly, and
    the installed one is that one (an upgrade is a deliberate change that runs this file)."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = [d for d in deps if re.match(r"textual\b", d)]
    assert pins == [f"textual=={version('textual')}"], pins
    assert textual.__version__ == version("textual")


def test_frame_encoder_internals() -> None:
    """tui/shell/frame_diff.py and ComplementariasApp._display (tui/shell/app.py): the
    compositor's update classes, what they hold, and the one method Textual calls to write."""
    from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate

    assert issubclass(LayoutUpdate, CompositorUpdate) and issubclass(ChopsUpdate, CompositorUpdate)
    assert params(CompositorUpdate.render_segments) == ["self", "console"]
    assert params(LayoutUpdate.__init__) == ["self", "strips", "region"]
    assert params(ChopsUpdate.__init__)[:4] == ["self", "chops", "spans", "chop_ends"]
    assert params(App._display) == ["self", "screen", "renderable"]
    # Screens hand each update to App._display (what the encoder intercepts).
    assert "app._display(" in inspect.getsource(Screen._compositor_refresh)
    # The SGR codes and links exactly as Textual writes them.
    assert params(Strip.render_ansi) == ["style", "color_system"]
    assert "_color_system" in vars(rich.console.Console(color_system="standard"))
    style = rich.style.Style(color="red", link="https://sena.edu.co")
    assert {"_ansi", "_link", "_link_id"} <= set(rich.style.Style.__slots__)
    assert style._link == "https://sena.edu.co" and style._link_id
    assert "style._ansi" in inspect.getsource(Strip.render_style)
    assert "style._ansi = " in inspect.getsource(Strip.render_ansi)


def test_lean_footer_internals() -> None:
    """tui/widgets/lean_footer.py: the binding chain a screen's keys come from, the footer's
    rebuild hook and flag, and the key widget (its constructor and the flag a click reads)."""
    from textual.widgets._footer import FooterKey

    chain = inspect.getattr_static(Screen, "_modal_binding_chain")
    assert isinstance(chain, property)
    assert "self._modal_binding_chain" in inspect.getsource(
        inspect.getattr_static(Screen, "active_bindings").fget)
    bindings = BindingsMap([Binding("t", "sol_take", "Tomar")])
    assert [(k, b.action) for k, b in bindings] == [("t", "sol_take")]
    assert params(Footer.bindings_changed) == ["self", "screen"]
    assert "self.recompose" in inspect.getsource(Footer.bindings_changed)
    assert "_bindings_ready" in inspect.getsource(Footer.bindings_changed)
    assert params(FooterKey.__init__) == ["self", "key", "key_display", "description",
                                         "action", "disabled", "tooltip", "classes"]
    key = FooterKey("t", "t", "Tomar", "sol_take", disabled=True)
    assert key._disabled is True and key.has_class("-disabled")
    assert "self._disabled" in inspect.getsource(FooterKey.on_mouse_down)
    assert "-command-palette" in inspect.getsource(Footer.compose)


def test_screen_resume_internals() -> None:
    """tui/screens/common/base.py (MainScreen._on_screen_resume): the event's flag that
    Textual's handler reads to style the screen again, handlers of a subclass dispatched
    before the base class's (so the flag is set first), and a push posting the event."""
    from textual import events
    from textual.message_pump import MessagePump

    from tui.screens.common.base import MainScreen

    assert events.ScreenResume().refresh_styles is True
    assert events.ScreenResume(refresh_styles=False).refresh_styles is False
    source = inspect.getsource(Screen._on_screen_resume)
    assert "if event.refresh_styles:" in source and "update_node_styles" in source
    assert "for cls in self.__class__.__mro__:" in inspect.getsource(
        MessagePump._get_dispatch_methods)
    assert "ScreenResume()" in inspect.getsource(App.push_screen)
    assert "_on_screen_resume" in vars(MainScreen) and "_on_screen_resume" in vars(Screen)


def test_table_internals() -> None:
    """tui/widgets/table.py: where the DataTable measures new rows, its cache counter, and
    the watcher of the cursor."""
    assert params(DataTable._update_dimensions) == ["self", "new_rows"]
    assert "self._update_count" in inspect.getsource(DataTable.__init__)
    assert params(DataTable.watch_cursor_coordinate) == ["self", "old_coordinate",
                                                         "new_coordinate"]
    assert "RowHighlighted" in inspect.getsource(DataTable._highlight_row)


def test_spanish_strings_internals() -> None:
    """tui/shell/textual_es.py: the Select menu's overlay (its bindings are replaced at
    import) and the palette's "No matches found" countdown (replaced in Paleta)."""
    from textual.widgets._select import SelectOverlay

    from tui.shell import textual_es

    assert [Binding("escape", "dismiss", "Cerrar la lista")] == SelectOverlay.BINDINGS
    assert inspect.ismethod(SelectOverlay._merge_bindings)
    merged = {b.action: b.description for _, b in SelectOverlay._merged_bindings}
    assert merged["dismiss"] == "Cerrar la lista"  # what the footer shows for Escape
    assert params(CommandPalette._start_no_matches_countdown) == ["self", "search_value"]
    source = inspect.getsource(CommandPalette._start_no_matches_countdown)
    assert "No matches found" in source and "self._NO_MATCHES" in source
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN",
                 "_list_visible"):
        assert hasattr(CommandPalette, name), name
    assert "self._no_matches_timer" in inspect.getsource(CommandPalette.__init__)
    assert issubclass(textual_es.Paleta, CommandPalette)


async def test_checkbox_mark_and_dialog_mount() -> None:
    """FormCheckbox (tui/widgets/form_checkbox.py) moved from Textual's private `_button` to
    the public BUTTON_INNER; GuardedDialog (tui/screens/common/confirm.py) keeps Textual's
    `_on_mount` handler convention, which runs beside the dialog's own on_mount."""
    from textual.app import ComposeResult
    from textual.screen import ModalScreen

    from tui.screens.common.confirm import GuardedDialog
    from tui.widgets.form_checkbox import FormCheckbox

    mounted: list[str] = []

    class Dialog(GuardedDialog, ModalScreen[None]):
        def compose(self) -> ComposeResult:
            yield FormCheckbox("Flexible", False, id="box")

        def on_mount(self) -> None:
            mounted.append("screen")

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Dialog())

    app = Host()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#box", FormCheckbox)
        assert "X" not in box.render().plain
        box.value = True
        await pilot.pause()
        assert "X" in box.render().plain
        assert mounted == ["screen"]
        await pilot.pause()
        assert app.screen._initial_fields is not None  # the mixin's _on_mount ran too


# ---- the reasons still hold: when Textual fixes one, its test fails and the override goes ----
async def test_plain_datatable_still_keeps_the_narrow_header() -> None:
    """Why tui/widgets/table.py exists: Textual's own DataTable still draws the header at the
    old widths after a frame drawn between adding rows and measuring them. When this fails,
    Textual fixed it: drop `Table._update_dimensions`."""
    from textual import events
    from textual.app import ComposeResult

    class Plain(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    app = Plain()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("Código", "Estado")
        await pilot.pause()
        table.clear()
        table.add_row("SOL-2026-000002", "En revisión larga")
        table.render_line(0)  # a frame drawn before idle
        await table._on_idle(events.Idle())
        assert table.render_line(0).text.rstrip() == " Código  Estado"


def test_textual_parser_still_reads_escape_inside_a_paste() -> None:
    """Why tui/shell/input_guard.py filters pastes: Textual's parser still turns an ESC inside
    a bracketed paste into keys. When this fails, Textual fixed it: drop the paste filter."""
    from textual import events
    from textual._xterm_parser import XTermParser

    from tui.shell.input_guard import _original_feed

    parser = XTermParser()
    got = [*_original_feed(parser, "\x1b[200~Antes\x1bDespues\x1b[201~"),
           *_original_feed(parser, "")]
    assert [e.text for e in got if isinstance(e, events.Paste)] == ["Antes"]
    assert any(isinstance(e, events.Key) for e in got)


def test_message_sender_the_input_guard_copies() -> None:
    """tui/shell/input_guard.py rebuilds Ctrl+J as Enter with the original event's sender."""
    from textual import events
    from textual.message import Message

    assert params(Message.set_sender) == ["self", "sender"]
    key = events.Key("enter", "\r")
    assert hasattr(key, "_sender")
