"""The reference for the start-up ratio: a bare Textual app showing one line of text."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Correo institucional")


if __name__ == "__main__":
    Bare().run()
