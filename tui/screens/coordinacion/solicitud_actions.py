"""The actions on one solicitud, shared by the lists and the detail screen.

Which actions are offered depends on the user's role, ownership and the estado; the services
check all of it again (a key that is shown is a convenience, not the authorization).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tui.screens.common.confirm import Confirmed, ConfirmScreen
from tui.services import model, numbering, transitions
from tui.uikit.app_context import ShellApp
from tui.uikit.workers import service_worker


@dataclass(frozen=True)
class Target:
    """What an action needs to know about the selected solicitud."""

    id: str
    codigo: str
    estado: str
    owner_id: str | None = None
    numero_ficha: str | None = None


@dataclass(frozen=True)
class ActionSpec:
    action: str
    label: str
    transition: model.Transition | None = None  # None: offered whenever one is selected


SPECS = (
    ActionSpec("sol_view", "Ver detalle"),
    *(ActionSpec(f"sol_{t.action}", t.label, t) for t in model.TRANSITIONS),
    ActionSpec("sol_copy", "Copiar código/ficha"),
    ActionSpec("sol_export", "Exportar ficha (PDF/XLSX)"),
)
"""The actions: the lifecycle's come from the model, as the services' checks do."""


def allowed(spec: ActionSpec, actor: Any, t: Target) -> bool:
    """What the model permits the user on the selected solicitud (a coordinador only ever
    lists solicitudes of their own centro)."""
    if spec.transition is None:
        return True
    return model.permits(spec.transition, actor.role, t.owner_id == actor.id, t.estado)


class SolicitudActions:
    """Mixin for screens that have a selected solicitud (`selected_target()`)."""

    app: ShellApp  # the screen's app, typed (tui.uikit.app_context)

    def selected_target(self) -> Target | None:
        raise NotImplementedError

    def after_action(self, solicitud_id: str | None) -> None:
        """Called after a successful action (reload what the screen shows)."""

    # ---- what to offer ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        spec = next((s for s in SPECS if s.action == action), None)
        if spec is None:
            return True
        t = self.selected_target()
        if t is None or getattr(self.app, "session", None) is None:
            return False
        return allowed(spec, self.app.actor, t)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        t = self.selected_target()
        if t is None or getattr(self.app, "session", None) is None:
            return []
        return [(f"{s.label} {t.codigo}", f"Solicitud {t.codigo}",
                 getattr(self, f"action_{s.action}"))
                for s in SPECS if allowed(s, self.app.actor, t)]

    # ---- the actions ---------------------------------------------------------------------------
    def action_sol_view(self) -> None:
        t = self.selected_target()
        if t:
            self.app.open_solicitud(t.id)

    def action_sol_edit(self) -> None:
        t = self.selected_target()
        if t:
            from tui.screens.instructor.solicitud_form import SolicitudFormScreen

            self.app.push_screen(SolicitudFormScreen(t.id))

    def action_sol_copy(self) -> None:
        t = self.selected_target()
        if t:
            text = t.numero_ficha or t.codigo
            self.app.copy_to_clipboard(text)
            self.app.notify(f"Copiado al portapapeles: {text}")

    def action_sol_export(self) -> None:
        t = self.selected_target()
        if t:
            from tui.screens.common.export_dialog import ExportDialog

            self.app.push_screen(ExportDialog.for_solicitud(t.id, t.codigo))

    def action_sol_submit(self) -> None:
        self._confirm_then("submit", transitions.submit)

    def action_sol_cancel(self) -> None:
        self._confirm_then("cancel", lambda p, a, i, c: transitions.cancel(p, a, i, c or None))

    def action_sol_duplicate(self) -> None:
        self._confirm_then("duplicate", transitions.duplicate, open_result=True)

    def action_sol_take(self) -> None:
        self._confirm_then("take", transitions.take_into_review)

    def action_sol_reject(self) -> None:
        self._confirm_then("reject", transitions.reject)

    def action_sol_return(self) -> None:
        self._confirm_then("return", transitions.return_to_instructor)

    def action_sol_admin_cancel(self) -> None:
        self._confirm_then("admin_cancel", transitions.admin_cancel)

    def action_sol_approve(self) -> None:
        t = self.selected_target()
        if t:
            self._approve(t)

    @service_worker("solicitud-action", exclusive=False)
    async def _approve(self, t: Target) -> None:
        proposed = await numbering.proposed_ficha(self.app.pool, self.app.actor)

        async def approve(answer: Confirmed) -> Any:
            typed = answer.value if answer.value and answer.value != proposed else None
            return await transitions.approve(self.app.pool, self.app.actor, t.id, typed,
                                             answer.comment or None)

        rule = model.TRANSITION["approve"]
        answer = await self.app.push_screen_wait(ConfirmScreen(
            rule.title, rule.question.format(codigo=t.codigo), confirm_label=rule.button,
            value_label="Número de ficha", value=proposed, comment_label=rule.comment,
            perform=approve))
        self._done(t, answer)

    def _confirm_then(self, action: str, call: Callable[..., Awaitable[Any]], *,
                      open_result: bool = False) -> None:
        """Ask as the model's transition says (its question, comment and button), then call."""
        t = self.selected_target()
        if t is None:
            return
        rule = model.TRANSITION[action]
        text = rule.question.format(codigo=t.codigo, ficha=t.numero_ficha or "—")
        self._ask(t, ConfirmScreen(rule.title, text, confirm_label=rule.button,
                                   comment_label=rule.comment,
                                   comment_required=rule.comment_required is not None),
                  call, open_result)

    @service_worker("solicitud-action", exclusive=False)
    async def _ask(self, t: Target, dialog: ConfirmScreen, call: Callable[..., Awaitable[Any]],
                   open_result: bool) -> None:
        """The dialog runs the action: on a failure it stays open with what was typed."""

        async def perform(answer: Confirmed) -> Any:
            if dialog.comment_label is None:
                return await call(self.app.pool, self.app.actor, t.id)
            return await call(self.app.pool, self.app.actor, t.id, answer.comment)

        dialog.perform = perform
        self._done(t, await self.app.push_screen_wait(dialog), open_result)

    def _done(self, t: Target, answer: Confirmed | None, open_result: bool = False) -> None:
        """After the dialog: what was done, or (closed unused, perhaps after a refusal such
        as another reviewer deciding first) the fresh state."""
        from tui.services.model import ESTADO_LABEL

        if answer is None:
            self.after_action(t.id)
            return
        result = answer.result

        self.app.notify(f"{result.codigo}: {ESTADO_LABEL[result.estado]}"
                        + (f" · ficha {result.data['numeroFicha']}"
                           if result.data.get("numeroFicha") else ""), title="Listo")
        self.after_action(result.id)
        if open_result:
            self.app.open_solicitud(result.id)
