from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# rewrite builders raise instead of degrading to "no suggestion", so bugs show up here
os.environ.setdefault("REPLYLINT_DEBUG", "1")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def linter() -> Iterator[object]:
    """One real Linter (real spaCy pipeline) for the whole test session."""
    from replylint import Linter

    yield Linter()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
