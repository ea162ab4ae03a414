"""Run a Textual program and end it as soon as its first frame holding MARKER is written.

    python benchmarks/first_frame.py -m tui.cli.main
    python benchmarks/first_frame.py benchmarks/bare_app.py

The process writes that frame, waits for Textual's writer thread to send it, and exits at once
(`os._exit`): nothing after the first frame (the database opened in a thread, shutdown) is
part of what bench_startup measures, whether in seconds or in instructions (callgrind).
The hook is installed when Textual's writer module is first imported, so the program imports
everything else itself, in its own order, as it would when started directly. With
FIRST_FRAME_MODULES=path it writes there the modules imported by then, one a line
(tests/test_startup_imports.py).
"""

from __future__ import annotations

import os
import runpy
import sys
from typing import Any

MARKER = "Correo institucional"
WRITER = "textual.drivers._writer_thread"


def _patch(module: Any) -> None:
    cls = module.WriterThread
    write = cls.write

    def write_then_exit(self: Any, text: str) -> None:
        write(self, text)
        if MARKER in text:
            self.stop()  # the thread writes what is queued, this frame last
            modules = os.environ.get("FIRST_FRAME_MODULES")
            if modules:
                with open(modules, "w", encoding="utf-8") as out:
                    out.write("\n".join(sorted(sys.modules)) + "\n")
            os._exit(0)

    cls.write = write_then_exit


class _Hook:
    """A meta-path finder that patches the writer module right after it is executed."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != WRITER:
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec

        spec = find_spec(name)
        assert spec is not None and spec.loader is not None
        exec_module = spec.loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            _patch(module)

        spec.loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


def main() -> None:
    sys.meta_path.insert(0, _Hook())
    args = sys.argv[1:]
    if args[0] == "-m":
        sys.argv = [args[1], *args[2:]]
        sys.path[0] = os.getcwd()  # as `python -m` does
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))  # as `python script` does
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
