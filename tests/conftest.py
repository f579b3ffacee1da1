from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def linter() -> Iterator[object]:
    """One real Linter (real spaCy pipeline) for the whole test session."""
    from replylint import Linter

    yield Linter()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
