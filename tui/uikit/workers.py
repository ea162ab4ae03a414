"""The one way a screen or widget runs a service call: `@service_worker`.

Every database call from the UI runs in a Textual worker, so the screen never freezes. What
happens when the call fails is the same everywhere and lives here: the traceback goes to the
log (`complementarias.ui`), the user gets a Spanish toast (`errors.report_error`) and the
screen stays usable (the worker never takes the app down: `exit_on_error=False`, and the
failure is caught before Textual sees it). A session that ended sends the user to the login.

A screen that shows the failure in place (a dialog keeps what was typed and shows the error
under its field; a list writes it in its status line) passes `on_error`: it is called first,
on the event loop, with the exception; returning True means "shown here, no toast needed".
A body may still catch what it handles as part of its flow (a ValidationFailed shown under
the fields, a Conflict, an existing file to confirm); anything else reaches the decorator.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from textual import work
from textual.dom import DOMNode
from textual.widgets import Static
from textual.worker import Worker

log = logging.getLogger("complementarias.ui")

N = TypeVar("N")  # a screen or widget, or a mixin of one (it has `app`)
P = ParamSpec("P")
R = TypeVar("R")

OnError = Callable[[Any, BaseException], "bool | None"]
"""(the screen or widget, the exception) -> True when the failure was shown in place."""


def log_failure(what: str, exc: BaseException, error: str | None = None) -> None:
    """The failure in the log. Expected refusals (a rule, a permission, bad input) are a
    warning of one line with their message, which says it all; anything else (the database,
    a bug) is an error with its traceback, for support."""
    from tui.services.common import ServiceError
    from tui.services.validation import ValidationFailed

    if isinstance(exc, ServiceError | ValidationFailed):
        said = " | ".join(str(exc).splitlines())  # one event, one line
        log.warning("%s: %s: %s", what, error or "refused", said)
    else:
        log.error("%s: %s", what, error or "a worker failed", exc_info=exc)


def failed(node: Any, exc: BaseException, what: str, error: str | None = None,
           on_error: OnError | None = None) -> None:
    """Log the failure with its traceback, let the node show it in place, else toast it."""
    # (imported here: the login screen, drawn first, need not load the services to start)
    from tui.services.common import SessionEnded
    from tui.uikit.errors import report_error

    log_failure(what, exc, error)
    shown = False
    if on_error is not None:
        try:
            shown = bool(on_error(node, exc))
        except Exception:
            log.exception("%s: showing the failure in place failed", what)
    if not shown or isinstance(exc, SessionEnded):
        report_error(node.app, exc, error)


def status_line(selector: str, text: str) -> OnError:
    """An `on_error` that also writes `text` in the node's status line (a Static found by
    `selector`); the toast still explains why."""

    def show(node: DOMNode, _exc: BaseException) -> bool:
        node.query_one(selector, Static).update(text)
        return False

    return show


def shown_by(method: str) -> OnError:
    """An `on_error` that gives the failure's Spanish explanation to the node's `method`
    (e.g. its status line) instead of a toast."""

    def show(node: DOMNode, exc: BaseException) -> bool:
        from tui.uikit.errors import describe

        getattr(node, method)(describe(exc)[1])
        return True

    return show


def service_worker(
    group: str, *, exclusive: bool = True, error: str | None = None,
    on_error: OnError | None = None,
) -> Callable[[Callable[Concatenate[N, P], Awaitable[R]]], Callable[Concatenate[N, P],
                                                                      Worker[R | None]]]:
    """Decorate an async method of a screen or widget: calling it starts a worker in `group`
    (`exclusive`: a new call cancels the running one); a failure is logged and shown (see
    the module's docstring). `error` says what did not happen ("No se pudo cargar la
    lista."): it opens the toast's message."""

    def decorate(method: Callable[Concatenate[N, P], Awaitable[R]]
                 ) -> Callable[Concatenate[N, P], Worker[R | None]]:
        @functools.wraps(method)
        async def run(node: N, /, *args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return await method(node, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every failure is logged and shown here
                failed(node, exc, f"{type(node).__name__}.{method.__name__}", error, on_error)
                return None

        # (textual's overloads do not carry the ParamSpec through)
        return cast("Callable[Concatenate[N, P], Worker[R | None]]",
                    work(run, group=group, exclusive=exclusive, exit_on_error=False))

    return decorate
