"""Bytes sent to the terminal by a scripted session, through a real PTY (or an SSH channel).

The script: log in, open the solicitudes list, move 20 rows, open a solicitud, type 20
characters in a field (the comments of "Rechazar"), open the notification sidebar, then
stay idle. It runs against the app with the low-bandwidth profile, the app with Textual's
defaults, and a plain Textual app doing the same moves (benchmarks/plain_app.py).

    python benchmarks/bytes_session.py [--database-url URL] [--colors 256|16]

Without --database-url it uses the embedded database of COMPLEMENTARIAS_DATA_DIR (demo data).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.shell.bandwidth import apply_profile
from tui.ssh.pty_process import PtyProcess

EMAIL, PASSWORD = "juan.martinez@sena.edu.co", "Coordinador.2026"
MOVES = b"jjjjkkkkjjjjkkkkjjkk"   # 20 real row moves on the 5-row list, ending on SOL-2026-003
TYPED = b"Faltan datos empresa"    # 20 characters
F2, ESC, ENTER, CTRL_Q = b"\x1bOQ", b"\x1b", b"\r", b"\x11"
IDLE_S = 3.0
BURST_GAP_S = 0.1


class Terminal:
    """What the script needs from a terminal: send keys, wait until the screen settles."""

    def __init__(self) -> None:
        self.received = 0
        self.buffer = bytearray()
        self.arrivals: list[float] = []  # when each piece of output arrived

    def feed(self, data: bytes) -> None:
        self.received += len(data)
        self.buffer += data
        self.arrivals.append(time.monotonic())

    def bursts_since(self, start: int, gap: float = BURST_GAP_S) -> int:
        """Separate writes since arrival number `start`: pieces further apart than `gap`
        seconds are different frames (a late footer, a second pass)."""
        times = self.arrivals[start:]
        return sum(1 for a, b in zip([-1e9, *times], times, strict=False) if b - a > gap)

    async def send(self, data: bytes) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def settle(self, expect: bytes | None = None, quiet: float = 0.3,
                     timeout: float = 20.0, drawn: bool = False) -> None:
        """Wait until `expect` was drawn (if given; with `drawn`, until anything was) and
        nothing arrived for `quiet` seconds. `drawn` is for a key that always draws (a row
        move, a typed character): on a loaded machine its frame may come later than `quiet`,
        and must not be counted for the next key."""
        start = len(self.buffer)
        first = self.received
        deadline = time.monotonic() + timeout
        last, seen = self.received, time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            if self.received != last:
                last, seen = self.received, time.monotonic()
                continue
            if (expect is None or expect in self.buffer[start:]) and \
                    (not drawn or self.received > first) and \
                    time.monotonic() - seen >= quiet:
                return
        raise TimeoutError(f"the screen did not settle (waiting for {expect!r}); last "
                           f"output: {bytes(self.buffer[-600:])!r}")


class PtyTerminal(Terminal):
    def __init__(self) -> None:
        super().__init__()
        self.child = PtyProcess(self.feed, lambda code: None)

    async def start(self, argv: list[str], env: dict[str, str], cols: int = 80,
                    rows: int = 24) -> None:
        await self.child.start(argv, env, cols, rows)

    async def send(self, data: bytes) -> None:
        self.child.write(data)

    async def close(self) -> None:
        self.child.hangup()
        await self.child.wait()


class SshTerminal(Terminal):
    """An asyncssh client session (the bytes the SSH client receives)."""

    def __init__(self, process: Any) -> None:
        super().__init__()
        self.process = process
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        while True:
            data = await self.process.stdout.read(65536)
            if not data:
                return
            self.feed(data)

    async def send(self, data: bytes) -> None:
        self.process.stdin.write(data)

    async def close(self) -> None:
        self.process.close()
        self._reader.cancel()


class WireCounter:
    """A TCP relay in front of the SSH server that counts the encrypted bytes it carries to
    the client (SSH packet framing, padding and MAC included): what the link really sends."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.down = 0  # server -> client, bytes on the wire
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> WireCounter:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _relay(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        s_reader, s_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       down: bool) -> None:
            try:
                while data := await reader.read(65536):
                    if down:
                        self.down += len(data)
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        for task in (asyncio.ensure_future(pipe(c_reader, s_writer, False)),
                     asyncio.ensure_future(pipe(s_reader, c_writer, True))):
            self._tasks.add(task)


@dataclass
class Result:
    steps: dict[str, int] = field(default_factory=dict)
    moves: list[int] = field(default_factory=list)
    idle_bps: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.steps.values())

    @property
    def per_move(self) -> float:
        return sum(self.moves) / len(self.moves)


@dataclass(frozen=True)
class Markers:
    """Text that shows each step finished drawing (None: wait for quiet only)."""

    login: bytes | None = b"Correo"
    home: bytes | None = b"Borrador"
    listed: bytes | None = b"SOL-2026-001"
    detail: bytes | None = b"Programa y responsable"
    dialog: bytes | None = b"Comentarios"
    sidebar: bytes | None = b"sin leer"
    discard: bytes | None = b"Descartar"
    """Escape on a dialog with typed text asks before discarding it (None: it closes)."""


DEFAULT_MARKERS = Markers()


PLAIN_MARKERS = Markers(home=b"Inicio", listed=b"SOL-2026-001", detail=b"Programa",
                        dialog=b"Comentarios", sidebar=b"SOL-2026-002", discard=None)


async def run_script(term: Terminal, markers: Markers = DEFAULT_MARKERS,
                     logged_in: bool = False) -> Result:
    """The scripted session on a started terminal; bytes per step."""
    res = Result()

    async def step(name: str, keys: bytes, expect: bytes | None, quiet: float = 0.3,
                   drawn: bool = False) -> int:
        mark = term.received
        if keys:
            await term.send(keys)
        await term.settle(expect, quiet=quiet, drawn=drawn)
        res.steps[name] = res.steps.get(name, 0) + term.received - mark
        return term.received - mark

    if logged_in:
        await step("inicio (ya autenticado)", b"", markers.home, quiet=1.0)
    else:
        await step("inicio y login", b"", markers.login, quiet=0.35)
        await step("inicio y login", EMAIL.encode() + ENTER, None)
        await step("inicio y login", PASSWORD.encode() + ENTER, markers.home, quiet=1.0)
    # Screens that load data draw in several passes: wait for a full second of silence.
    await step("abrir la lista", b"l", markers.listed, quiet=1.0)
    for key in MOVES:
        res.moves.append(await step("mover 20 filas", bytes([key]), None, quiet=0.5,
                                    drawn=True))
    await step("abrir una solicitud", ENTER, markers.detail, quiet=1.0)
    await step("escribir 20 caracteres", b"x", markers.dialog)
    for ch in TYPED:
        await step("escribir 20 caracteres", bytes([ch]), None, quiet=0.15, drawn=True)
    await step("escribir 20 caracteres", ESC, markers.discard)
    if markers.discard:  # "Descartar y cerrar"
        await step("escribir 20 caracteres", ENTER, None)
    await step("abrir la barra lateral", F2, markers.sidebar, quiet=1.0)
    mark = term.received
    await asyncio.sleep(IDLE_S)
    res.idle_bps = (term.received - mark) / IDLE_S
    return res


WALK_KEYS = 30
"""Row moves of the long-list walk: down a list longer than the screen, so most scroll."""


@dataclass
class Walk:
    """Per key of the walk: bytes sent, and separate writes (frames) it took."""

    bytes: list[int] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    wire: list[int] = field(default_factory=list)  # encrypted, when a WireCounter is given

    @property
    def per_move(self) -> float:
        return sum(self.bytes) / len(self.bytes)

    @property
    def wire_per_move(self) -> float:
        return sum(self.wire) / len(self.wire) if self.wire else 0.0


async def run_walk(term: Terminal, keys: int = WALK_KEYS, marker: bytes = b"SOL-",
                   wire: WireCounter | None = None) -> Walk:
    """From the home screen: open the list, then `keys` times "down"; bytes per key.

    Each key waits for a full half second of silence, so a frame the app sends late (the
    footer, a status line) counts for the key that caused it."""
    await term.settle(b"Borrador", quiet=1.0)
    await term.send(b"l")
    # The list draws in several passes (rows, then filters and counts from other queries):
    # two seconds of silence before the first key, so none of them lands in its count.
    await term.settle(marker, quiet=2.0)
    moves = Walk()
    for _ in range(keys):
        mark, pieces, wired = term.received, len(term.arrivals), wire.down if wire else 0
        await term.send(b"j")
        await term.settle(None, quiet=0.5, drawn=True)
        moves.bytes.append(term.received - mark)
        moves.frames.append(term.bursts_since(pieces))
        if wire is not None:
            moves.wire.append(wire.down - wired)
    return moves


def base_env(config_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TEXTUAL_") and k != "COMPLEMENTARIAS_LOW_BANDWIDTH"}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", COMPLEMENTARIAS_CONFIG_DIR=config_dir,
               LANG=env.get("LANG", "C.UTF-8"))
    return env


async def measure(argv: list[str], env: dict[str, str],
                  markers: Markers = DEFAULT_MARKERS) -> Result:
    term = PtyTerminal()
    await term.start(argv, env)
    try:
        return await run_script(term, markers)
    finally:
        await term.send(CTRL_Q)
        await asyncio.sleep(0.3)
        await term.close()


def app_argv(database_url: str | None) -> list[str]:
    argv = [sys.executable, "-P", "-m", "tui.cli.main"]
    return argv + (["--database-url", database_url] if database_url else [])


async def compare(database_url: str | None, colors: str = "256") -> dict[str, Result]:
    with tempfile.TemporaryDirectory() as cfg:
        env = base_env(cfg)
        low = dict(env)
        apply_profile(low, colors=colors)
        plain = [sys.executable, str(Path(__file__).resolve().parent / "plain_app.py")]
        return {
            "perfil bajo ancho de banda": await measure(app_argv(database_url), low),
            "perfil desactivado": await measure(app_argv(database_url), env),
            "Textual simple (por defecto)": await measure(plain, env, PLAIN_MARKERS),
        }


def report(results: dict[str, Result]) -> str:
    names = list(results)
    steps = list(next(iter(results.values())).steps)
    width = max(len(s) for s in steps) + 2
    lines = ["".ljust(width) + "".join(n[:28].rjust(30) for n in names)]
    for s in steps:
        lines.append(s.ljust(width) + "".join(f"{r.steps.get(s, 0):>28,} B" for r in
                                              results.values()))
    lines.append("TOTAL".ljust(width) + "".join(f"{r.total:>28,} B" for r in results.values()))
    lines.append("por fila (media)".ljust(width) + "".join(f"{r.per_move:>28.0f} B"
                                                            for r in results.values()))
    lines.append("por fila (máx.)".ljust(width) + "".join(f"{max(r.moves):>28,} B"
                                                           for r in results.values()))
    lines.append("inactivo".ljust(width) + "".join(f"{r.idle_bps:>26.0f} B/s"
                                                    for r in results.values()))
    low, ref = results[names[0]], results[names[-1]]
    off = results[names[1]]
    lines.append(f"\nperfil / Textual simple: {100 * low.total / ref.total:.1f} %   "
                 f"perfil / perfil desactivado: {100 * low.total / off.total:.1f} %")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url")
    p.add_argument("--colors", choices=["256", "16"], default="256")
    args = p.parse_args()
    print(report(asyncio.run(compare(args.database_url, args.colors))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
