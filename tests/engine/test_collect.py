"""The garbage collector's threshold while drafts are linted (engine/collect.py)."""

from __future__ import annotations

import gc
import threading

import pytest

from replylint import Linter
from replylint.engine import collect


@pytest.fixture
def default_threshold():  # type: ignore[no-untyped-def]
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_raised_while_linting_and_put_back(default_threshold) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int, int]] = []
    with collect.relaxed():
        seen.append(gc.get_threshold())
        with collect.relaxed():  # nested: restored once, by the outer block
            seen.append(gc.get_threshold())
        seen.append(gc.get_threshold())
    assert seen == [(collect.YOUNG, 10, 10)] * 3
    assert gc.get_threshold() == (700, 10, 10)


def test_put_back_when_linting_fails(default_threshold) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), collect.relaxed():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_host_that_turned_collection_off_or_raised_it_keeps_its_setting() -> None:
    saved = gc.get_threshold()
    try:
        for own in [(0, 10, 10), (100_000, 5, 5)]:
            gc.set_threshold(*own)
            with collect.relaxed():
                assert gc.get_threshold() == own
            assert gc.get_threshold() == own
    finally:
        gc.set_threshold(*saved)


def test_threads_linting_at_once_restore_it_when_the_last_ends(default_threshold) -> None:  # type: ignore[no-untyped-def]
    entered, release = threading.Barrier(3), threading.Event()

    def work() -> None:
        with collect.relaxed():
            entered.wait()
            release.wait()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    entered.wait()
    assert gc.get_threshold()[0] == collect.YOUNG
    release.set()
    for t in threads:
        t.join()
    assert gc.get_threshold() == (700, 10, 10)


def test_a_real_lint_leaves_the_threshold_as_it_found_it(default_threshold) -> None:  # type: ignore[no-untyped-def]
    linter = Linter()
    report = linter.check("Nope. It's our policy.")
    assert report.findings
    assert gc.get_threshold() == (700, 10, 10)
