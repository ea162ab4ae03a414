"""Keys as a terminal delivers them: one write parsed at once, every key queued in a burst.

Pilot's `press()` waits for the app to go idle after each key, which hides ordering bugs;
`burst` feeds the raw text through Textual's own terminal parser (the one the Linux driver
uses, with the app's paste filter) and posts every resulting event before any is handled, as
a whole login arriving in one SSH packet does.
"""

from __future__ import annotations

from typing import Any

from textual._xterm_parser import XTermParser

TAB, ENTER, CTRL_U, ESC = "\t", "\r", "\x15", "\x1b"


def burst(app: Any, data: str) -> int:
    """Post every event `data` parses to, at once; returns how many."""
    parser = XTermParser()
    events = list(parser.feed(data)) + list(parser.feed(""))
    # A lone ESC at the end of the data is reported by the parser's timeout (tick); the
    # tests end their bursts with other keys.
    for event in events:
        event.set_sender(app)
        app.post_message(event)
    return len(events)


async def typed(pilot: Any, data: str) -> None:
    """`burst` and wait until every key has been handled (held keys included): first until
    the app has taken every posted key from its queue (on a loaded machine Pilot's idle
    check can pass while the process merely waits for a CPU), then for the held ones."""
    from .conftest import settle, shown

    burst(pilot.app, data)
    await shown(pilot, pilot.app.input_settled)
    await pilot.app.input_delivered()
    await settle(pilot)


def paste(text: str) -> str:
    """`text` as a terminal sends it in bracketed-paste mode."""
    return f"\x1b[200~{text}\x1b[201~"
