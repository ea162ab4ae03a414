"""The actions on one solicitud, shared by the lists and the detail screen.

Which actions are offered depends on the user's role, ownership and the estado; the services
check all of it again (a key that is shown is a convenience, not the authorization).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.binding import Binding

from tui.uikit.errors import report_error
from tui.screens.common.confirm import ConfirmScreen, Confirmed
from tui.services import numbering, transitions


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
    estados: tuple[str, ...]
    who: str  # owner | reviewer | admin | any


SPECS = (
    ActionSpec("sol_view", "Ver detalle", (), "any"),
    ActionSpec("sol_edit", "Editar", ("BORRADOR", "PENDIENTE"), "owner"),
    ActionSpec("sol_submit", "Enviar a revisión", ("BORRADOR",), "owner"),
    ActionSpec("sol_cancel", "Cancelar solicitud", ("BORRADOR", "PENDIENTE"), "owner"),
    ActionSpec("sol_duplicate", "Duplicar", ("RECHAZADA", "CANCELADA"), "owner"),
    ActionSpec("sol_take", "Tomar en revisión", ("PENDIENTE",), "reviewer"),
    ActionSpec("sol_approve", "Aprobar", ("PENDIENTE", "EN_REVISION"), "reviewer"),
    ActionSpec("sol_reject", "Rechazar", ("PENDIENTE", "EN_REVISION"), "reviewer"),
    ActionSpec("sol_return", "Devolver al instructor", ("EN_REVISION",), "reviewer"),
    ActionSpec("sol_admin_cancel", "Cancelar aprobada (admin)", ("APROBADA",), "admin"),
    ActionSpec("sol_copy", "Copiar código/ficha", (), "any"),
    ActionSpec("sol_export", "Exportar ficha (PDF/XLSX)", (), "any"),
)

BINDINGS = [
    Binding("enter", "sol_view", "Ver", id="solicitud-view", show=False),
    Binding("e", "sol_edit", "Editar", id="solicitud-edit"),
    Binding("s", "sol_submit", "Enviar", id="solicitud-submit"),
    Binding("c", "sol_cancel", "Cancelar", id="solicitud-cancel"),
    Binding("d", "sol_duplicate", "Duplicar", id="solicitud-duplicate"),
    Binding("t", "sol_take", "Tomar", id="solicitud-take"),
    Binding("a", "sol_approve", "Aprobar", id="solicitud-approve"),
    Binding("x", "sol_reject", "Rechazar", id="solicitud-reject"),
    Binding("v", "sol_return", "Devolver", id="solicitud-return"),
    Binding("ctrl+x", "sol_admin_cancel", "Anular", id="solicitud-admin-cancel", show=False),
    Binding("y", "sol_copy", "Copiar", id="solicitud-copy", show=False),
]


def allowed(spec: ActionSpec, actor: Any, t: Target) -> bool:
    if spec.estados and t.estado not in spec.estados:
        return False
    if spec.who == "owner":
        return bool(t.owner_id == actor.id)
    if spec.who == "reviewer":
        return bool(actor.role in ("COORDINADOR", "ADMIN"))
    if spec.who == "admin":
        return bool(actor.role == "ADMIN")
    return True


class SolicitudActions:
    """Mixin for screens that have a selected solicitud (`selected_target()`)."""

    app: Any

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
        self._confirm_then("Enviar a revisión",
                           "¿Enviar la solicitud {codigo} al coordinador? Ya no podrá cambiar el "
                           "programa.", "Enviar", transitions.submit)

    def action_sol_cancel(self) -> None:
        self._confirm_then("Cancelar solicitud", "¿Cancelar la solicitud {codigo}? No se puede "
                           "deshacer (podrá duplicarla).", "Cancelar solicitud",
                           lambda p, a, i, c: transitions.cancel(p, a, i, c or None),
                           comment="Motivo (opcional)")

    def action_sol_duplicate(self) -> None:
        self._confirm_then("Duplicar", "¿Crear un borrador nuevo copiando {codigo}?", "Duplicar",
                           transitions.duplicate, open_result=True)

    def action_sol_take(self) -> None:
        self._confirm_then("Tomar en revisión", "¿Tomar {codigo} en revisión? El instructor ya "
                           "no podrá editarla.", "Tomar", transitions.take_into_review)

    def action_sol_reject(self) -> None:
        self._confirm_then("Rechazar", "¿Rechazar la solicitud {codigo}?", "Rechazar",
                           lambda p, a, i, c: transitions.reject(p, a, i, c),
                           comment="Comentarios para el instructor", required=True)

    def action_sol_return(self) -> None:
        self._confirm_then("Devolver al instructor", "¿Devolver {codigo} para que la corrija?",
                           "Devolver",
                           lambda p, a, i, c: transitions.return_to_instructor(p, a, i, c),
                           comment="Qué debe cambiar", required=True)

    def action_sol_admin_cancel(self) -> None:
        self._confirm_then("Cancelar solicitud aprobada", "¿Cancelar {codigo}, ya aprobada "
                           "(ficha {ficha})?", "Cancelar aprobada",
                           lambda p, a, i, c: transitions.admin_cancel(p, a, i, c),
                           comment="Motivo", required=True)

    def action_sol_approve(self) -> None:
        t = self.selected_target()
        if t:
            self._approve(t)

    @work(group="solicitud-action")
    async def _approve(self, t: Target) -> None:
        try:
            proposed = await numbering.proposed_ficha(self.app.pool, self.app.actor)
        except Exception as exc:  # noqa: BLE001
            report_error(self.app, exc)
            return
        async def approve(answer: Confirmed) -> Any:
            typed = answer.value if answer.value and answer.value != proposed else None
            return await transitions.approve(self.app.pool, self.app.actor, t.id, typed,
                                             answer.comment or None)

        answer = await self.app.push_screen_wait(ConfirmScreen(
            "Aprobar solicitud", f"Aprobar {t.codigo}. Se propone el siguiente número de ficha "
            "del año; puede escribir otro (solo dígitos, 7 a 10).", confirm_label="Aprobar",
            value_label="Número de ficha", value=proposed,
            comment_label="Comentarios (opcional)", perform=approve))
        self._done(t, answer)

    def _confirm_then(self, title: str, question: str, label: str,
                      call: Callable[..., Awaitable[Any]], *, comment: str | None = None,
                      required: bool = False, open_result: bool = False) -> None:
        t = self.selected_target()
        if t is None:
            return
        text = question.format(codigo=t.codigo, ficha=t.numero_ficha or "—")
        self._ask(t, ConfirmScreen(title, text, confirm_label=label, comment_label=comment,
                                   comment_required=required), call, open_result)

    @work(group="solicitud-action")
    async def _ask(self, t: Target, dialog: ConfirmScreen, call: Callable[..., Awaitable[Any]],
                   open_result: bool) -> None:
        """The dialog runs the action: on a failure it stays open with what was typed."""

        async def perform(answer: Confirmed) -> Any:
            if call in (transitions.submit, transitions.take_into_review, transitions.duplicate):
                return await call(self.app.pool, self.app.actor, t.id)
            return await call(self.app.pool, self.app.actor, t.id, answer.comment)

        dialog.perform = perform
        self._done(t, await self.app.push_screen_wait(dialog), open_result)

    def _done(self, t: Target, answer: Confirmed | None, open_result: bool = False) -> None:
        """After the dialog: what was done, or (closed unused, perhaps after a refusal such
        as another reviewer deciding first) the fresh state."""
        from tui.services.solicitudes import ESTADO_LABEL

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
