"""The generating side of the synthetic load, in a process of its own.

`python -m tui.synthetic.worker` reads its parameters (JSON) on standard input and writes the
data set as frames on standard output, in load order: each frame names a COPY statement (an
index into STATEMENTS) and carries its text; a last frame (DONE) carries the row counts and the
next codigo and ficha numbers of every year, as JSON.

Why a process: the rows are built in Python, and in one process the thread that streams them
to the server waits for the interpreter lock at every socket write while the generator holds
it; the server then waits for data about a quarter of the time and the stream drops to well
under half its idle speed. Here the generator has an interpreter of its own, and the loading
process only moves bytes (tui/synthetic/generator.py).
"""

from __future__ import annotations

import json
import os
import struct
import sys
from collections.abc import Callable
from typing import IO, Any, Final

from tui.synthetic.resumen import Resumen
from tui.synthetic.rows import Generator
from tui.synthetic.solicitudes import SolicitudMaker

BATCH: Final = 10_000
# The named COPY statements of sql/queries/synthetic.sql, in the order the frames may use them.
STATEMENTS: Final = (
    "copy_centros", "copy_users", "copy_programas", "copy_objetivos", "copy_competencias",
    "copy_resultados", "copy_solicitudes", "copy_horarios", "copy_notificaciones",
    "copy_historial", "copy_resumen_mensual", "copy_resumen_diario", "copy_resumen_anual",
    "copy_resumen_instructor",
)
SOLICITUDES: Final = STATEMENTS.index("copy_solicitudes")
DONE: Final = 255
HEADER: Final = struct.Struct("!BQ")  # statement index (or DONE), payload length

Emit = Callable[[int, bytes], None]


def generate(params: dict[str, Any], emit: Emit) -> None:
    """The whole data set, frame by frame (the parameters as the loading process sends them)."""
    gen = Generator(params["seed"], params["tag"], params["now"], params["password"])

    def copy(name: str, lines: list[str]) -> None:
        if lines:
            emit(STATEMENTS.index(name), "".join(lines).encode("utf-8"))

    copy("copy_centros", gen.centros(params["centros"]))
    copy("copy_users", gen.users(params["instructores"]))
    for name, lines in zip(STATEMENTS[2:6], gen.programas(params["programas"]), strict=True):
        copy(name, lines)
    codigo_next, ficha_next = int_keys(params["codigo_next"]), int_keys(params["ficha_next"])
    resumen = Resumen() if params["resumen"] else None
    solicitudes = params["solicitudes"]
    maker = SolicitudMaker(gen, max(solicitudes, 1), codigo_next, ficha_next, resumen)
    for lo in range(0, solicitudes, BATCH):
        b = maker.batch(lo, min(lo + BATCH, solicitudes))
        copy("copy_solicitudes", b.solicitudes)
        copy("copy_horarios", b.horarios)
        copy("copy_notificaciones", b.notificaciones)
        copy("copy_historial", b.historial)
    if resumen is not None:
        copy("copy_resumen_mensual", resumen.mensual_lines())
        copy("copy_resumen_diario", resumen.diario_lines())
        copy("copy_resumen_anual", resumen.anual_lines())
        copy("copy_resumen_instructor", resumen.instructor_lines())
    emit(DONE, json.dumps({"counts": gen.counts, "codigo_next": codigo_next,
                           "ficha_next": ficha_next}).encode("utf-8"))


def write_frame(stream: IO[bytes], kind: int, payload: bytes) -> None:
    stream.write(HEADER.pack(kind, len(payload)))
    stream.write(payload)


def int_keys(numbers: dict[str, int]) -> dict[int, int]:
    """Numbers per year as JSON carries them (string keys) back to int years."""
    return {int(year): n for year, n in numbers.items()}


def read_frame(stream: IO[bytes]) -> tuple[int, bytes]:
    """The next frame; EOFError when the worker stopped before sending it whole."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        raise EOFError
    kind, size = HEADER.unpack(head)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError
    return kind, payload


def main() -> None:
    params = json.load(sys.stdin)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not end up inside the frames

    generate(params, lambda kind, payload: write_frame(out, kind, payload))
    out.close()


if __name__ == "__main__":
    main()
