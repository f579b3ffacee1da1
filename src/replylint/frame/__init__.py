"""A helpdesk archive, a table at a time: replies in, replies and findings out (Arrow/pandas).

The one function every engine runs (``replylint scan``, Spark's ``mapInPandas``, Dask's
``map_partitions``): :func:`lint_table` takes a table of replies (an Arrow table, or a pandas
DataFrame through :func:`lint_frame`) and returns two tables with fixed, versioned schemas
(the README's "Helpdesk archives" section, "schema_version" ``"1"``):

- **replies**: one row per input row, always (clean replies too, so rates have a
  denominator): the caller's key columns passed through with their own types, then
  :func:`REPLIES_SCHEMA`'s columns (counts, the empathy profile, the findings as a list);
- **findings**: one row per finding, with the reply's key columns (:func:`FINDINGS_SCHEMA`).

A bad row (null, non-string or empty text, a text over ``max_chars``, bytes that are not
UTF-8) is a replies row with ``error`` set and null profile: it never stops the run.

The :class:`~replylint.Linter` cannot be pickled (it holds a lock and the pipeline), so it is
built here, inside the worker, from the configuration: once per process and configuration
(:func:`linter_for`, keyed by the hash of the configuration's JSON dump).
"""

from __future__ import annotations

from .frames import frame_tables, lint_batches, lint_frame
from .schema import (
    CATEGORIES,
    DEFAULT_MAX_CHARS,
    FINDING_COLUMNS,
    FINDING_TYPE,
    FINDINGS_SCHEMA,
    REPLIES_SCHEMA,
    REPLY_COLUMNS,
    SCHEMA_VERSION,
)
from .table import (
    Shape,
    config_hash,
    config_json,
    lint_table,
    linter_for,
    shape_index,
    worker_options,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_MAX_CHARS",
    "FINDINGS_SCHEMA",
    "FINDING_COLUMNS",
    "FINDING_TYPE",
    "REPLIES_SCHEMA",
    "REPLY_COLUMNS",
    "SCHEMA_VERSION",
    "Shape",
    "config_hash",
    "config_json",
    "frame_tables",
    "lint_batches",
    "lint_frame",
    "lint_table",
    "linter_for",
    "shape_index",
    "worker_options",
]
