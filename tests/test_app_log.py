"""The app's log file: what a worker's failure toast does not say, support can read."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.shell.app import LOG_FILE, log_to_file
from tui.uikit import workers


@pytest.fixture
def app_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("COMPLEMENTARIAS_DATA_DIR", str(tmp_path / "data"))
    logger = logging.getLogger("complementarias")
    before, level = list(logger.handlers), logger.level
    yield tmp_path / "data"
    for handler in logger.handlers[len(before):]:
        handler.close()
    logger.handlers[:] = before
    logger.setLevel(level)


def test_a_worker_failure_reaches_the_log_file_with_its_traceback(app_log: Path) -> None:
    path = log_to_file()
    assert path == app_log / LOG_FILE
    try:
        raise RuntimeError("la conexión se cerró «inesperadamente»")
    except RuntimeError:
        workers.log.exception("SolicitudesScreen.load: a worker failed")
    logging.getLogger("complementarias.ui").debug("below the level: not written")
    for handler in logging.getLogger("complementarias").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "ERROR complementarias.ui: SolicitudesScreen.load: a worker failed" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: la conexión se cerró «inesperadamente»" in text
    assert "below the level" not in text


def test_an_unwritable_data_folder_leaves_the_app_without_a_log_file(
        app_log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app_log.parent.mkdir(parents=True, exist_ok=True)
    blocker = app_log.parent / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("COMPLEMENTARIAS_DATA_DIR", str(blocker / "data"))
    assert log_to_file() is None
