"""Typed and pasted input made exact: order, paste, refused keys.

Everything here adjusts Textual internals, so it lives in this one module and
`tests/test_input_guard.py::test_textual_internals_still_there` fails loudly when Textual's
API moves. Why each adjustment is needed (Textual 8.2.8):

* Key order. `App.on_event` forwards each key to `App.focused` the moment the key leaves the
  app's queue. A burst (type-ahead over SSH: one packet holds `email TAB password ENTER`) is
  therefore forwarded whole to the first field before the TAB has bubbled back to the app's
  bindings, and before a `focus()` (applied later through `call_later`) has moved focus: the
  password lands, in clear, in the email field. `OrderedInputApp` holds each key (and paste)
  until the app has settled, i.e. no message is waiting in the app or in any node of the
  current screen, and only then lets it through: a key reaches the widget focused after every
  earlier key was handled, focus changes included.
* Paste. Inside a bracketed paste Textual's parser still reads ESC as the start of a key
  sequence: `Antes<ESC>Despues` becomes the keys `^Despues` followed by a paste of `Antes`.
  `_PasteFilter` drops control characters inside paste brackets before the parser sees them,
  and `clean_paste` cleans every paste event once more (whatever its origin).
* Enter typed ahead. Until the app sets its terminal modes, the terminal turns Enter into a
  line feed, which reaches the app as Ctrl+J: it is read as Enter (`_as_enter`).
* Refused keys. `Input.restricted` (a documented hook) only rings the bell: a letter typed in
  a number field vanishes with no word. It now says why, naming the field.
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input, Label

MAX_HOLD = 5.0
"""Seconds a key waits at most for the app to settle (a handler awaiting something slow
must not freeze the keyboard: after this the key goes on)."""

_PASTE_START = "\x1b[200~"
_PASTE_END = "\x1b[201~"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                      r"\u2066-\u2069]")
"""Control characters (C0 but tab and newlines, DEL, C1) and bidi overrides."""


def clean_paste(text: str) -> str:
    """Pasted text without control or escape characters, in the order it was pasted; line
    ends as `\\n`, tabs as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


class _PasteFilter:
    """Drops ESC characters inside bracketed paste, before the parser reads them. Outside a
    paste every byte passes at once (an Escape key must not wait); the markers may arrive
    split across reads: the start is spotted across the boundary, and inside a paste a
    possible start of the end marker is held for the next read."""

    def __init__(self) -> None:
        self.in_paste = False
        self.tail = ""  # the end of the data outside a paste (a split start marker)
        self.pending = ""  # held inside a paste (a split end marker)

    def filter(self, data: str) -> str:
        out: list[str] = []
        while data:
            if not self.in_paste:
                probe = self.tail + data
                j = probe.find(_PASTE_START)
                if j < 0:
                    self.tail = probe[-(len(_PASTE_START) - 1):]
                    out.append(data)
                    break
                cut = j + len(_PASTE_START) - len(self.tail)
                out.append(data[:cut])
                data, self.tail, self.in_paste = data[cut:], "", True
            else:
                data, self.pending = self.pending + data, ""
                j = data.find(_PASTE_END)
                if j < 0:
                    keep = _partial_marker(data, _PASTE_END)
                    if keep:
                        data, self.pending = data[:-keep], data[-keep:]
                    out.append(data.replace("\x1b", ""))
                    break
                out.append(data[:j].replace("\x1b", "") + _PASTE_END)
                data, self.in_paste = data[j + len(_PASTE_END):], False
        return "".join(out)


def _partial_marker(chunk: str, marker: str) -> int:
    """Length of the longest end of `chunk` that starts `marker` (0 if none)."""
    for n in range(min(len(marker) - 1, len(chunk)), 0, -1):
        if marker.startswith(chunk[-n:]):
            return n
    return 0


_original_feed = XTermParser.feed


def _feed(self: XTermParser, data: str) -> Any:
    paste_filter = self.__dict__.setdefault("_cx_paste_filter", _PasteFilter())
    if not data:  # end of input ("" tells the parser so): first what was held back
        rest, paste_filter.pending = paste_filter.pending, ""
        return [*(_original_feed(self, rest) if rest else ()), *_original_feed(self, "")]
    data = paste_filter.filter(data)
    return _original_feed(self, data) if data else []


XTermParser.feed = _feed  # type: ignore[method-assign]  # deliberate patch: paste filter


def field_name(widget: Widget) -> str:
    """The label a user sees for a field: the Label just before it, else its placeholder."""
    parent = widget.parent
    if parent is not None:
        before = None
        for child in parent.children:
            if child is widget:
                break
            if isinstance(child, Label):
                before = child
        if before is not None:
            return str(before.render()).rstrip(" *:")
    placeholder = getattr(widget, "placeholder", "")
    return str(placeholder) if placeholder else "Este campo"


def refused_reason(field: Input) -> str:
    """Why a typed character was not accepted in `field`, in Spanish."""
    name = field_name(field)
    if field.max_length and len(field.value) >= field.max_length:
        return f"{name}: admite como máximo {field.max_length} caracteres."
    if field.type == "integer":
        return f"{name}: solo admite números (0-9)."
    if field.type == "number":
        return f"{name}: solo admite un número (use . para decimales)."
    if field.restrict == r"[0-9/]*":
        return f"{name}: escriba la fecha con números y «/» (dd/mm/aaaa)."
    return f"{name}: ese carácter no se admite aquí."


def _restricted(self: Input) -> None:
    self.app.notify(refused_reason(self), title="Tecla no admitida", severity="warning",
                    timeout=4)


Input.restricted = _restricted  # type: ignore[method-assign]  # deliberate patch


def _as_enter(event: events.Key) -> events.Key:
    """Enter typed before the app took the terminal was turned into a line feed by the
    terminal (its ICRNL mode): the app receives Ctrl+J. No screen binds Ctrl+J, so it is
    read as the Enter the user pressed."""
    enter = events.Key("enter", "\r")
    enter.set_sender(event._sender)  # type: ignore[arg-type]  # same sender, maybe None
    return enter


class OrderedInputApp(App[Any]):
    """An App whose keys and pastes reach the widget focused after every earlier one was
    handled (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: deque[events.Event] = deque()
        self._releaser: asyncio.Task[None] | None = None
        self._released: set[int] = set()
        self._busy = 0

    @contextmanager
    def input_waits(self) -> Iterator[None]:
        """Keys typed while the block runs are held (at most MAX_HOLD each) and reach the
        screen that follows it: what a user types after the login's Enter, while the login
        is being checked, goes to the home screen, not into the login's fields."""
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if isinstance(event, events.Key) and event.key == "ctrl+j":
                event = _as_enter(event)
            if id(event) in self._released:
                self._released.discard(id(event))
            elif self._held or not self.input_settled():
                self._held.append(event)
                if self._releaser is None:
                    self._releaser = asyncio.create_task(self._release_held())
                return
            # else: nothing pending, the app has settled: the event goes on at once
            if isinstance(event, events.Paste) and not self._accept_paste(event):
                return
        await super().on_event(event)

    def _on_unmount(self) -> None:
        if self._releaser is not None:
            self._releaser.cancel()

    def _accept_paste(self, event: events.Paste) -> bool:
        """Clean the pasted text; refuse several lines in a one-line field, saying why."""
        from textual.widgets import TextArea  # not needed before the first paste

        event.text = clean_paste(event.text)
        target = self.focused
        if isinstance(target, Input) and not isinstance(target, TextArea):
            text = event.text.removesuffix("\n")
            if "\n" in text:
                self.notify(f"{field_name(target)}: es de una sola línea y el texto pegado "
                            f"tiene {text.count(chr(10)) + 1} líneas; no se pegó. Copie una "
                            "sola línea.", title="Pegado rechazado", severity="warning")
                return False
            event.text = text
        return True

    async def _release_held(self) -> None:
        try:
            while self._held:
                await self._settled()
                event = self._held.popleft()
                self._released.add(id(event))
                self.post_message(event)
        finally:
            self._releaser = None

    def input_pending(self) -> bool:
        """A key or paste not handled yet: held here, or still in the app's message queue
        (a burst just posted is there until the app reads it)."""
        queued = getattr(self._message_queue, "_queue", ())
        return bool(self._held) or self._releaser is not None or any(
            isinstance(message, (events.Key, events.Paste)) for message in queued)

    async def input_delivered(self) -> None:
        """Until every key and paste posted so far has been let through (what a test waits
        for: the held events are in no queue Textual's own waiting knows of)."""
        while self.input_pending():
            if self._releaser is not None:
                await asyncio.shield(self._releaser)
            else:
                await asyncio.sleep(0)  # the app reads its queue meanwhile

    def input_settled(self) -> bool:
        """No message waits in the app or in any node of the current screen, and no
        `input_waits` block runs."""
        if self._busy or self._message_queue.qsize() or self._next_callbacks:
            return False
        try:
            screen = self.screen
        except Exception:  # noqa: BLE001 - no screen yet (start-up): not settled
            return False
        for node in screen.walk_children(with_self=True):
            if node._message_queue.qsize() or node._next_callbacks:
                return False
        return True

    async def _settled(self) -> None:
        """Wait until `input_settled` (each check lets every ready task run first)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_HOLD
        spins = 0
        while not self.input_settled() and loop.time() < deadline:
            spins += 1
            # A few bare yields cover the usual case (messages being handled right now);
            # past them something awaits I/O, and a short sleep keeps the CPU free.
            await asyncio.sleep(0 if spins < 50 else 0.002)
