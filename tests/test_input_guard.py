"""tui/shell/input_guard.py: the Textual internals it relies on, paste cleaning, refused keys."""

from __future__ import annotations

import inspect
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.message_pump import MessagePump
from textual.widgets import Input, TextArea

from tui.shell import input_guard
from tui.shell.input_guard import OrderedInputApp, _PasteFilter, clean_paste

from .keyburst import paste, typed


def test_textual_internals_still_there() -> None:
    """Fails loudly when a Textual upgrade moves what tui/shell/input_guard.py adjusts."""
    assert XTermParser.feed is input_guard._feed, "the paste filter is installed"
    assert list(inspect.signature(input_guard._original_feed).parameters) == ["self", "data"]
    assert Input.restricted is input_guard._restricted
    assert inspect.iscoroutinefunction(App.on_event)
    assert "_message_queue" in dir(MessagePump) and "_next_callbacks" in \
        inspect.getsource(MessagePump.__init__)
    assert hasattr(events.Key, "is_forwarded") and events.Paste("x").text == "x"
    # App.on_event still forwards keys to the focused widget (what the gate delays).
    assert "forward_target._forward_event(event)" in inspect.getsource(App.on_event)


def test_clean_paste_drops_controls_and_keeps_order() -> None:
    assert clean_paste("Antes\x1bDespues") == "AntesDespues"
    assert clean_paste("a\x1b[31mb\x07c\x9bd") == "a[31mbcd"
    assert clean_paste("uno\r\ndos\rtres\tcuatro") == "uno\ndos\ntres cuatro"
    assert clean_paste("\u202eevil") == "evil"


def test_paste_filter_keeps_escapes_out_of_a_paste_even_split_across_reads() -> None:
    data = "x" + paste("Antes\x1bDespues") + "\x1b[A"
    for cut in range(len(data) + 1):
        f = _PasteFilter()
        out = f.filter(data[:cut]) + f.filter(data[cut:])
        assert out == "x" + paste("AntesDespues") + "\x1b[A", cut


def test_a_lone_escape_passes_at_once() -> None:
    """Outside a paste nothing is held back (an Escape key is the parser's business, with
    its own timeout), and the next read still parses: no false end of input."""
    parser = XTermParser()
    assert list(parser.feed("\x1b")) == []
    assert [e.key for e in parser.feed("[A")] == ["up"]
    assert [e.key for e in parser.feed("b")] == ["b"]


def test_parser_reports_one_paste_in_order() -> None:
    parser = XTermParser()
    got = list(parser.feed(paste("Antes\x1bDespues"))) + list(parser.feed(""))
    assert [type(e) for e in got] == [events.Paste]
    assert got[0].text == "AntesDespues"


class _Form(OrderedInputApp):
    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submitted.append(event.value)

    def compose(self) -> Any:
        from textual.widgets import Label

        yield Label("Número de aprendices")
        yield Input(id="num", type="integer")
        yield Label("Nombre")
        yield Input(id="name")
        yield TextArea(id="text")


async def test_paste_into_fields() -> None:
    app = _Form()
    async with app.run_test() as pilot:
        name, text = app.query_one("#name", Input), app.query_one("#text", TextArea)
        name.focus()
        await pilot.pause()
        await typed(pilot, paste("Antes\x1bDespues\n"))  # one line with its line end: accepted
        assert name.value == "AntesDespues"
        await typed(pilot, paste("uno\ndos"))
        assert name.value == "AntesDespues", "several lines are refused in a one-line field"
        assert any("Nombre: es de una sola línea" in n.message for n in app._notifications)
        text.focus()
        await pilot.pause()
        await typed(pilot, paste("uno\r\ndos\x1b"))
        assert text.text == "uno\ndos"


async def test_refused_key_says_why() -> None:
    app = _Form()
    async with app.run_test() as pilot:
        app.query_one("#num", Input).focus()
        await pilot.pause()
        await typed(pilot, "12a3")
        assert app.query_one("#num", Input).value == "123"
        messages = [n.message for n in app._notifications]
        assert "Número de aprendices: solo admite números (0-9)." in messages


async def test_enter_typed_ahead_as_line_feed_is_enter() -> None:
    app = _Form()
    async with app.run_test() as pilot:
        name = app.query_one("#name", Input)
        name.focus()
        await pilot.pause()
        await typed(pilot, "hola\n")
        assert app.submitted == ["hola"]
