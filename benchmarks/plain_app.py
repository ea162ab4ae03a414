"""A plain Textual app with Textual's defaults, doing the same moves as the scripted session.

The reference for the byte benchmark: a login form, a 5-row table, a detail view, a dialog
with a text area and a notification sidebar, all with stock widgets and default styles.
Run on a PTY by benchmarks/bytes_session.py.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    ListItem,
    ListView,
    Static,
    TextArea,
)

ROWS = [
    ("SOL-2026-003", "En revisión", "Excel Básico para Gestión Empresarial", "Almacenes El Sol"),
    ("SOL-2026-002", "Pendiente", "Fundamentos de Programación Web", "Tecnoparque Fúquene"),
    ("SOL-2026-009", "Cancelada", "Excel Básico para Gestión Empresarial", "Ferretería Santa"),
    ("SOL-2026-004", "Rechazada", "Fundamentos de Programación Web", "Asociación de Pesca"),
    ("SOL-2026-001", "Aprobada", "Excel Básico para Gestión Empresarial", "Cooperativa A"),
]


class Reject(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Cancelar")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Comentarios para el instructor")
            yield TextArea()
            yield Button("Rechazar")


def sidebar() -> ListView:
    view = ListView(ListItem(Label("Solicitud SOL-2026-002 enviada a revisión")), id="sidebar")
    view.display = False
    view.styles.width = 40
    view.styles.dock = "right"
    return view


class Detail(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Volver"),
                Binding("x", "reject", "Rechazar"), Binding("f2", "sidebar", "Notificaciones")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield Static("\n".join(f"{k}: {v}" for k, v in zip(
                ("Código", "Estado", "Programa", "Empresa"), ROWS[0], strict=True)))
            yield sidebar()
        yield Footer()

    def action_sidebar(self) -> None:
        side = self.query_one("#sidebar")
        side.display = not side.display

    def action_reject(self) -> None:
        self.app.push_screen(Reject())


class ListScreen(Screen[None]):
    BINDINGS = [Binding("j", "down", "Abajo"), Binding("k", "up", "Arriba"),
                Binding("f2", "sidebar", "Notificaciones")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield DataTable(cursor_type="row")
            yield sidebar()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Código", "Estado", "Programa", "Empresa")
        table.add_rows(ROWS)
        table.focus()

    def action_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def on_data_table_row_selected(self) -> None:
        self.app.push_screen(Detail())

    def action_sidebar(self) -> None:
        side = self.query_one("#sidebar")
        side.display = not side.display


class Home(Screen[None]):
    BINDINGS = [Binding("l", "list", "Solicitudes")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Inicio")
        yield Footer()

    def action_list(self) -> None:
        self.app.push_screen(ListScreen())


class Login(Screen[None]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Correo institucional")
            yield Input(id="email")
            yield Label("Contraseña")
            yield Input(password=True, id="password")
            yield Button("Ingresar")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "email":
            self.query_one("#password").focus()
        else:
            self.app.switch_screen(Home())


class PlainApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Login())


if __name__ == "__main__":
    PlainApp().run()
