"""Send only the terminal cells that changed: the low-bandwidth profile's frame encoder.

Textual's compositor repaints whole widget regions (a moved table cursor redraws the table's
visible lines, a typed character the whole input, an overlay the whole screen) and writes
every segment as `SGR text reset`. Over a slow link most of those bytes draw what the
terminal already shows. `FrameDiff` keeps a copy of the screen (character and SGR codes per
cell), turns each compositor update into the cells it would draw, and writes only the runs
that differ, with a style change only where the style changes. The terminal ends up showing
exactly what Textual meant to draw; the copy is dropped (everything written again) whenever
the size changes or `reset()` is called.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import ne

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size
from textual.strip import Strip

Cell = tuple[str, str]
"""What the terminal shows in one cell: its text ("" for the right half of a wide
character) and the SGR codes of its style."""

GAP = 6
"""Unchanged cells shorter than this between two changed runs are written again rather than
jumped over: a cursor move costs about as much."""

MAX_SHIFT = 3
"""The largest scroll (in rows) looked for: a moved cursor scrolls by one, a wheel by three."""

SCROLL_COST = 24
"""About what a scroll costs on the wire (region, cursor move, index, region reset), in cells."""


def sgr(codes: str) -> str:
    """The sequence that sets exactly `codes` (from the default style)."""
    return f"\x1b[0;{codes}m" if codes else "\x1b[0m"


def move_to(x: int, y: int) -> str:
    return f"\x1b[{y + 1};{x + 1}H"


@dataclass
class _Run:
    """Cells to draw on one row, from column `x`."""

    y: int
    x: int
    cells: list[Cell]


class FrameDiff:
    """The screen as the terminal shows it, and the encoder of the differences."""

    def __init__(self) -> None:
        self.size = Size(0, 0)
        self.rows: list[list[Cell | None]] = []

    def reset(self) -> None:
        """Forget what the terminal shows: the next frames draw every cell they cover."""
        self.rows = [[None] * self.size.width for _ in range(self.size.height)]

    def update(self, update: CompositorUpdate, size: Size) -> CompositorUpdate:
        """An update that, when Textual writes it, draws only what changed."""
        if not isinstance(update, (LayoutUpdate, ChopsUpdate)):
            return update
        return _DiffUpdate(self, update, size)

    # ---- encoding --------------------------------------------------------------------------
    def encode(self, update: LayoutUpdate | ChopsUpdate, size: Size, console: Console) -> str:
        if size != self.size:
            self.size = size
            self.reset()
        target = [list(row) for row in self.rows]
        for run in self._runs(update, console):
            if 0 <= run.y < size.height and run.x < size.width:
                cells = run.cells[: size.width - run.x]
                target[run.y][run.x: run.x + len(cells)] = cells
        out: list[str] = []
        scroll = self._best_scroll(target)
        if scroll is not None:
            out.append(self._scroll(*scroll))
        codes_now: str | None = None  # unknown at the start of a frame (and after a scroll)
        at: tuple[int, int] | None = None
        for y, (row, wanted) in enumerate(zip(self.rows, target, strict=False)):
            if row == wanted:
                continue
            for x, cells in self._changed(row, _Run(y, 0, wanted)):  # type: ignore[arg-type]  # None (never drawn) cells are skipped
                for offset, cell in enumerate(cells):
                    if cell is None:  # never drawn: left as the terminal shows it
                        at = None
                        continue
                    if at != (x + offset, y):
                        out.append(move_to(x + offset, y))
                    row[x + offset] = cell
                    text, codes = cell
                    at = (x + offset + 1, y) if x + offset + 1 < size.width else None
                    if not text:
                        continue  # the right half of a wide character
                    if codes != codes_now:
                        out.append(sgr(codes))
                        codes_now = codes
                    out.append(text)
        if codes_now:
            out.append("\x1b[0m")
        return "".join(out)

    def _best_scroll(self, target: list[list[Cell | None]]) -> tuple[int, int, int] | None:
        """(top, bottom, shift) of the band of whole rows whose scrolling saves the most
        cells, when it saves more than it costs; shift > 0 moves the text up.

        A moved table cursor that scrolls the table redraws every visible row one row up or
        down: the terminal can do that itself (a scroll region and an index), and then only
        the rows that really changed are written."""
        height, width = self.size.height, self.size.width
        rows = self.rows
        changed = [y for y in range(height) if rows[y] != target[y]]
        if len(changed) < 3:
            return None
        here = [_differ(rows[y], target[y]) for y in range(height)]
        best: tuple[int, int, int, int] | None = None  # (saved, top, bottom, shift)
        lo, hi = changed[0], changed[-1]
        for shift in (*range(1, MAX_SHIFT + 1), *range(-1, -MAX_SHIFT - 1, -1)):
            run_sum, run_top = 0, lo
            for y in range(lo, hi + 1):
                src = y + shift
                if not 0 <= src < height:
                    run_sum, run_top = 0, y + 1
                    continue
                gain = here[y] - _differ(rows[src], target[y])
                if run_sum <= 0:
                    run_sum, run_top = gain, y
                else:
                    run_sum += gain
                # The rows the scroll empties are written whole.
                saved = run_sum - abs(shift) * width
                if saved > SCROLL_COST and (best is None or saved > best[0]):
                    best = (saved, run_top, y, shift)
        return None if best is None else best[1:]

    def _scroll(self, top: int, bottom: int, shift: int) -> str:
        """Scroll rows top..bottom (where the text ends up) by `shift`, in the terminal and
        in the copy; the rows it empties become unknown."""
        rows = self.rows
        if shift > 0:  # the text moves up: index at the region's bottom line
            first, last = top, bottom + shift
            rows[first: last + 1] = rows[first + shift: last + 1] + \
                [[None] * self.size.width for _ in range(shift)]
            moves = move_to(0, last) + "\x1bD" * shift
        else:  # the text moves down: reverse index at the region's top line
            first, last = top + shift, bottom
            emptied: list[list[Cell | None]] = [[None] * self.size.width
                                                for _ in range(-shift)]
            rows[first: last + 1] = emptied + rows[first: last + 1 + shift]
            moves = move_to(0, first) + "\x1bM" * -shift
        # SGR reset first: the emptied lines take the current background colour.
        return f"\x1b[0m\x1b[{first + 1};{last + 1}r{moves}\x1b[r"

    def _changed(self, row: list[Cell | None], run: _Run) -> Iterator[tuple[int, list[Cell]]]:
        """The spans of `run` to write: cells that differ from `row`, joined across short
        unchanged gaps, widened so no wide character is cut in half."""
        width = len(row)
        cells = run.cells[: max(0, width - run.x)]
        start: int | None = None
        last = -GAP - 1
        spans: list[tuple[int, int]] = []
        for i, cell in enumerate(cells):
            if row[run.x + i] == cell:
                continue
            if start is not None and i - last <= GAP:
                last = i
                continue
            if start is not None:
                spans.append((start, last + 1))
            start = last = i
        if start is not None:
            spans.append((start, last + 1))
        for a, b in spans:
            while a > 0 and cells[a] is not None and cells[a][0] == "":
                a -= 1
            while b < len(cells) and cells[b] is not None and cells[b][0] == "":
                b += 1
            yield run.x + a, cells[a:b]

    def _runs(self, update: LayoutUpdate | ChopsUpdate, console: Console) -> Iterator[_Run]:
        """The cells the update would draw, row by row, exactly as Textual writes them."""
        if isinstance(update, LayoutUpdate):
            x = update.region.x
            for y, line in enumerate(update.strips, update.region.y):
                yield _Run(y, x, self._cells(line, console))
            return
        for y, x1, x2 in update.spans:
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    strip = strip.crop(0, min(end, x2) - x)
                yield _Run(y, x, self._cells([strip], console))

    def _cells(self, strips: Iterable[Strip], console: Console) -> list[Cell]:
        cells: list[Cell] = []
        system = console._color_system
        for strip in strips:
            for segment in strip:
                self._add(cells, segment, system)
        return cells

    def _add(self, cells: list[Cell], segment: Segment, system: ColorSystem | None) -> None:
        text, style, control = segment
        if control or not text:
            return
        codes, link = "", ""
        if style is not None and system is not None:
            codes = style._ansi or Strip.render_ansi(style, system)
            if style._link:
                link = f"\x1b]8;id={style._link_id};{style._link}\x1b\\"
        for char in text:
            size = get_character_cell_size(char)
            if size == 0:
                if cells:  # a combining mark joins the character before it
                    prev, prev_codes = cells[-1]
                    if prev:
                        cells[-1] = (prev + char, prev_codes)
                continue
            cells.append((f"{link}{char}\x1b]8;;\x1b\\" if link else char, codes))
            if size == 2:
                cells.append(("", codes))


def _differ(a: list[Cell | None], b: list[Cell | None]) -> int:
    """How many cells differ between two rows."""
    return 0 if a == b else sum(map(ne, a, b))


class _DiffUpdate(CompositorUpdate):
    """A compositor update encoded against the terminal's copy when (and only if) written."""

    def __init__(self, diff: FrameDiff, update: LayoutUpdate | ChopsUpdate, size: Size) -> None:
        self.diff, self.update, self.size = diff, update, size

    def render_segments(self, console: Console) -> str:
        return self.diff.encode(self.update, self.size, console)
