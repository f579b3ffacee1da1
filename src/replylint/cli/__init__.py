"""The command line: ``replylint check``, ``fix``, ``rules`` … (the entry point is :func:`main`).

One module per command or group: :mod:`.check`, :mod:`.fix` (``fix`` and ``check --diff``),
:mod:`.rules` (``rules``, ``explain``, ``schema``), :mod:`.evaluation` (``eval``),
:mod:`.serve` (``serve``, ``lsp``), :mod:`.scan` (``scan``, ``report``), :mod:`.init`; what
they share is in :mod:`.common`, the group in :mod:`.app`.

Importing this package does not import spaCy; only the commands that lint load a pipeline.
"""

from __future__ import annotations

from . import check, evaluation, fix, init, rules, scan, serve  # noqa: F401 (each adds its commands)
from .app import main
from .common import (
    AUTO_JOBS_BYTES,
    AUTO_JOBS_FILES,
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    AtomicOutput,
    auto_jobs,
)

__all__ = [
    "AUTO_JOBS_BYTES",
    "AUTO_JOBS_FILES",
    "EXIT_CLEAN",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "AtomicOutput",
    "auto_jobs",
    "main",
]
