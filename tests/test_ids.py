"""Prisma cuid v1 ids: shape, parts, uniqueness (also across threads) and counter wrap-around."""

from __future__ import annotations

import itertools
import string
import threading
import time

import pytest

from tui.services import ids
from tui.services.ids import is_cuid, new_id

BASE36 = set(string.digits + string.ascii_lowercase)


def test_shape() -> None:
    for _ in range(200):
        value = new_id()
        assert len(value) == 25
        assert value[0] == "c"
        assert set(value) <= BASE36
        assert is_cuid(value)


def test_timestamp_part_is_now_in_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    value = new_id()
    after = time.time_ns() // 1_000_000
    assert before <= int(value[1:9], 36) <= after


def test_counter_increments_and_fingerprint_is_stable() -> None:
    first, second = new_id(), new_id()
    assert (int(second[9:13], 36) - int(first[9:13], 36)) % 36**4 == 1
    assert first[13:17] == second[13:17]


def test_counter_wraps_at_36_to_the_4(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids, "_counter", itertools.count(36**4 - 1))
    assert new_id()[9:13] == "zzzz"
    assert new_id()[9:13] == "0000"


def test_base36_pads_and_trims() -> None:
    assert ids._base36(0, 4) == "0000"
    assert ids._base36(35, 2) == "0z"
    assert ids._base36(36**8 + 1, 8) == "00000001"  # trimmed to the last 8 characters


def test_ten_thousand_ids_are_unique() -> None:
    values = [new_id() for _ in range(10_000)]
    assert len(set(values)) == 10_000


def test_unique_across_threads() -> None:
    results: list[list[str]] = [[] for _ in range(8)]

    def work(slot: list[str]) -> None:
        slot.extend(new_id() for _ in range(2_000))

    threads = [threading.Thread(target=work, args=(slot,)) for slot in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    values = [value for slot in results for value in slot]
    assert len(values) == len(set(values)) == 16_000


@pytest.mark.parametrize(
    "value",
    ["user_001", "centro_001", "", "c" + "a" * 23, "c" + "a" * 25, "C" + "a" * 24,
     "d" + "a" * 24, "c" + "A" * 24, "c" + "a" * 23 + "-", None, 123, b"c" + b"a" * 24],
)  # fmt: skip
def test_is_cuid_rejects(value: object) -> None:
    assert not is_cuid(value)
