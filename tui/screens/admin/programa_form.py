"""Create or edit a programa: its data and its contenido (objetivos in order, competencias and
resultados with an optional código), each list edited as plain lines."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from tui.screens.admin.centro_form import AdminFormScreen
from tui.services import programas
from tui.services.common import Conflict
from tui.services.programa_rules import TIPOS_FORMACION, validate_contenido
from tui.services.validation import MODALIDADES
from tui.uikit import keymap

LISTS = ("objetivos", "competencias", "resultados")
LIST_HINT = ("Una línea por elemento; objetivos en orden (Alt+↑/↓ mueve la línea); "
             "competencias y resultados: «código | descripción» (código opcional).")


def item_line(codigo: str | None, descripcion: str) -> str:
    if codigo:
        return f"{codigo} | {descripcion}"
    return f"| {descripcion}" if "|" in descripcion else descripcion


def parse_lines(text: str, coded: bool) -> tuple[list[Any], list[int]]:
    """The non-blank lines as items (strings, or (codigo, descripcion) pairs when `coded`),
    and the line number of each (to place the cursor on an item the service refuses)."""
    items: list[Any] = []
    numbers: list[int] = []
    for n, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        if coded:
            codigo, sep, desc = line.partition("|")
            items.append((codigo.strip() or None, desc.strip()) if sep else (None, line.strip()))
        else:
            items.append(line.strip())
        numbers.append(n)
    return items, numbers


class ProgramaFormScreen(AdminFormScreen):
    """Programa de formación."""

    HELP = ("Datos del programa y su contenido. Código (único), nombre, tipo, modalidad, "
            "duración y cupo son obligatorios. " + LIST_HINT + " Ctrl+S guarda todo; Escape "
            "cancela.")
    PREFIX = "programas"
    BINDINGS = keymap.BINDINGS["ProgramaFormScreen"]
    FIELDS = {"codigo": "programa-codigo", "nombre": "programa-nombre",
              "tipoFormacion": "programa-tipo", "modalidad": "programa-modalidad",
              "duracionHoras": "programa-duracion", "cupoAprendices": "programa-cupo",
              "centroId": "programa-centro", "descripcion": "programa-descripcion",
              **{k: f"programa-{k}" for k in LISTS}}
    DIFF = (("codigo", "Código"), ("nombre", "Nombre"), ("tipo_formacion", "Tipo"),
            ("modalidad", "Modalidad"), ("duracion_horas", "Duración"),
            ("cupo_aprendices", "Cupo"), ("descripcion", "Descripción"),
            ("centro_id", "Centro"))

    def __init__(self, current: programas.ProgramaDetalle | None, is_admin: bool,
                 centro_options: list[tuple[str, str]] | None = None,
                 contenido: bool = False) -> None:
        super().__init__(current)
        self.is_admin = is_admin
        self.centro_options = list(centro_options or [])
        self.start_in_contenido = contenido
        self.line_numbers: dict[str, list[int]] = {}
        p = current.programa if current else None
        if p is not None and all(v != p.centro_id for _l, v in self.centro_options):
            self.centro_options.append((f"{p.centro_codigo} · {p.centro_nombre}", p.centro_id))
        self.original = self._lists_text(current)

    @staticmethod
    def _lists_text(d: programas.ProgramaDetalle | None) -> dict[str, str]:
        if d is None:
            return {k: "" for k in LISTS}
        return {"objetivos": "\n".join(o.descripcion for o in d.objetivos),
                "competencias": "\n".join(item_line(i.codigo, i.descripcion)
                                          for i in d.competencias),
                "resultados": "\n".join(item_line(i.codigo, i.descripcion)
                                        for i in d.resultados)}

    def diff_source(self, obj: Any) -> Any:
        return obj.programa

    def title_text(self) -> str:
        return "Nuevo programa" if self.current is None else \
            f"Editar programa {self.current.programa.codigo}"

    def compose_fields(self) -> ComposeResult:
        p = self.current.programa if self.current else None
        yield self.row("Código *", Input(p.codigo if p else "", id="programa-codigo",
                                         compact=True, placeholder="p. ej. CF-006-2026"))
        yield self.row("Nombre *", Input(p.nombre if p else "", id="programa-nombre",
                                         compact=True))
        yield self.row("Tipo *", Select([(t.title(), t) for t in TIPOS_FORMACION],
                                        value=p.tipo_formacion if p else "COMPLEMENTARIA",
                                        allow_blank=False, id="programa-tipo", compact=True))
        yield self.row("Modalidad *", Select([(m.title(), m) for m in MODALIDADES],
                                             value=p.modalidad if p else "PRESENCIAL",
                                             allow_blank=False, id="programa-modalidad",
                                             compact=True))
        yield self.row("Duración (h) *", Input(str(p.duracion_horas) if p else "",
                                               id="programa-duracion", compact=True,
                                               restrict=r"[0-9]*", max_length=6))
        yield self.row("Cupo *", Input(str(p.cupo_aprendices) if p else "", id="programa-cupo",
                                       compact=True, restrict=r"[0-9]*", max_length=6))
        if self.is_admin:
            yield self.row("Centro *", Select(self.centro_options, prompt="Elija un centro",
                                              value=p.centro_id if p else Select.NULL,
                                              id="programa-centro", compact=True))
        yield self.row("Descripción", TextArea(p.descripcion or "" if p else "",
                                               id="programa-descripcion", compact=True),
                       tall=True)
        yield Static("Contenido", classes="admin-form-section")
        yield Static(LIST_HINT, classes="admin-form-hint", markup=False)
        for kind, label in zip(LISTS, ("Objetivos", "Competencias", "Resultados"), strict=False):
            yield self.row(label, TextArea(self.original[kind], id=f"programa-{kind}",
                                           compact=True, show_line_numbers=True), tall=True)

    def focus_first(self) -> None:
        if self.start_in_contenido:
            self.query_one("#programa-objetivos", TextArea).focus()
        else:
            super().focus_first()

    def focus_item(self, field: str, widget: Widget) -> None:
        kind, _, rest = field.partition("[")
        numbers = self.line_numbers.get(kind, [])
        index = int(rest.rstrip("]")) if rest.rstrip("]").isdigit() else -1
        if isinstance(widget, TextArea) and 0 <= index < len(numbers):
            widget.move_cursor((numbers[index], 0))

    def action_move_line(self, delta: int) -> None:
        """Swap the cursor's line with its neighbour (reorders objetivos)."""
        area = self.focused
        if not isinstance(area, TextArea) or area.id == "programa-descripcion":
            return
        row, col = area.cursor_location
        lines = area.text.split("\n")
        target = row + delta
        if not 0 <= target < len(lines):
            return
        lines[row], lines[target] = lines[target], lines[row]
        area.replace("\n".join(lines), (0, 0), area.document.end)
        area.move_cursor((target, col))

    # ---- saving --------------------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        return dict(codigo=self.text("programa-codigo"), nombre=self.text("programa-nombre"),
                    tipo_formacion=self.choice("programa-tipo"),
                    modalidad=self.choice("programa-modalidad"),
                    duracion_horas=self.text("programa-duracion"),
                    cupo_aprendices=self.text("programa-cupo"),
                    descripcion=self.area("programa-descripcion").strip())

    def _contenido(self) -> tuple[list[Any], list[Any], list[Any]]:
        out = []
        for kind in LISTS:
            items, self.line_numbers[kind] = parse_lines(self.area(f"programa-{kind}"),
                                                         coded=kind != "objetivos")
            out.append(items)
        return out[0], out[1], out[2]

    async def submit(self) -> programas.ProgramaDetalle:
        app = self.app
        values = self._values()
        centro = self.choice("programa-centro") if self.is_admin else None
        objetivos, competencias, resultados = self._contenido()
        validate_contenido(objetivos, competencias, resultados)
        if self.current is None:
            return await programas.create_programa(
                app.pool, app.actor, centro_id=centro, objetivos=objetivos,
                competencias=competencias, resultados=resultados,
                **{**values, "descripcion": values["descripcion"] or None})
        p = self.current.programa
        stored = dict(codigo=p.codigo, nombre=p.nombre, tipo_formacion=p.tipo_formacion,
                      modalidad=p.modalidad, duracion_horas=str(p.duracion_horas),
                      cupo_aprendices=str(p.cupo_aprendices), descripcion=p.descripcion or "")
        saved: programas.ProgramaDetalle = self.current
        if values != stored or (centro is not None and centro != p.centro_id):
            saved = await programas.update_programa(app.pool, app.actor, p.id,
                                                    centro_id=centro,
                                                    expected_updated_at=p.updated_at, **values)
            self.current = saved  # a contenido error below must not turn a retry into a conflict
        if {k: self.area(f"programa-{k}") for k in LISTS} != self.original:
            fresh = await programas.get_programa(app.pool, app.actor, p.id)
            if fresh.programa.updated_at != saved.programa.updated_at:
                raise Conflict("Otra persona cambió este programa mientras lo editaba.",
                               current=fresh)
            saved = await programas.replace_contenido(app.pool, app.actor, p.id, objetivos,
                                                      competencias, resultados)
        return saved
