from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# rewrite builders raise instead of degrading to "no suggestion", so bugs show up here
os.environ.setdefault("REPLYLINT_DEBUG", "1")
# the compiled rule book is not kept in the user's cache folder by tests (and every test's
# rule book is built, as it is without an entry); tests/engine/test_bookcache.py turns it on
os.environ.setdefault("REPLYLINT_RULEBOOK_CACHE", "off")

# The property tests' budget (tests/test_properties.py): the same examples on every run
# (derandomized, no example database), few enough that the file runs in well under a minute
# here; spaCy's first calls are slow, so no per-example deadline. HYPOTHESIS_PROFILE=deep
# searches longer, by hand.
settings.register_profile(
    "replylint",
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("deep", parent=settings.get_profile("replylint"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "replylint"))

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def linter() -> Iterator[object]:
    """One real Linter (real spaCy pipeline) for the whole test session."""
    from replylint import Linter

    yield Linter()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
