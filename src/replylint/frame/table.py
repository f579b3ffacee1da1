"""Linting a table: the Linter of this process for a configuration, bad rows judged cell by
cell, and :func:`lint_table`, which builds the replies and findings tables."""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa

from ..__about__ import __version__
from ..config import Config
from ..models import Finding, Severity
from .schema import (
    CATEGORIES,
    DEFAULT_MAX_CHARS,
    FINDING_FIELDS,
    FINDINGS_SCHEMA,
    REPLIES_SCHEMA,
    REPLY_COLUMNS,
    REPLY_FIELDS,
    SCHEMA_VERSION,
)

if TYPE_CHECKING:
    from ..api import Linter
    from ..profile import Profile

Shape = Literal["replies", "findings"]  # which table a distributed engine's lint returns

# --------------------------------------------------------------------------------------------
# The Linter, once per process and configuration
# --------------------------------------------------------------------------------------------

_LINTERS: dict[str, Linter] = {}
_LINTERS_LOCK = threading.Lock()


def config_json(config: Config | str | None) -> str:
    """The configuration as JSON (what travels to workers: a Config pickles, a Linter not)."""
    if isinstance(config, str):
        config = Config.model_validate_json(config)
    return (config or Config()).model_dump_json(by_alias=False)


def config_hash(config: Config | str | None) -> str:
    """16 hex digits of the SHA-256 of the configuration's JSON dump."""
    return hashlib.sha256(config_json(config).encode()).hexdigest()[:16]


def linter_for(config: Config | str | None = None) -> Linter:
    """This process's Linter for ``config`` (built on first use, then kept)."""
    from ..api import Linter

    dump = config_json(config)
    key = hashlib.sha256(dump.encode()).hexdigest()[:16]
    with _LINTERS_LOCK:
        linter = _LINTERS.get(key)
        if linter is None:
            linter = _LINTERS[key] = Linter(Config.model_validate_json(dump))
        return linter


# --------------------------------------------------------------------------------------------
# Bad rows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bad:
    error: str


def _is_null(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NAType", "NaTType")  # pandas' missing values


def _as_text(value: object, what: str) -> str | _Bad | None:
    """A cell as text, None when null, or why it is not text."""
    if isinstance(value, _Bad):
        return value
    if _is_null(value):
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            return _Bad(f"{what} is not valid UTF-8 (at byte {exc.start})")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return _Bad(f"{what} is not valid Unicode (a lone surrogate at character {exc.start})")
        return value
    return _Bad(f"{what} is {type(value).__name__}, not a string")


def _column_values(column: pa.ChunkedArray | pa.Array, what: str) -> list[object]:
    """An Arrow column's cells as Python values; text read as bytes and decoded per cell (an
    invalid one is that row's error, not the table's)."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        column = column.cast(pa.large_binary())  # no copy; decoded per cell below
    elif not (pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_null(kind)):
        bad = _Bad(f"{what} is {kind}, not a string")
        return [None if v is None else bad for v in column.to_pylist()]
    return list(column.to_pylist())


def _texts(
    values: Sequence[object], customers: Sequence[object] | None, max_chars: int
) -> list[tuple[str, str | None] | _Bad]:
    out: list[tuple[str, str | None] | _Bad] = []
    for n, value in enumerate(values):
        text = _as_text(value, "text")
        if text is None:
            out.append(_Bad("text is null"))
            continue
        if isinstance(text, _Bad):
            out.append(text)
            continue
        if not text.strip():
            out.append(_Bad("text is empty"))
            continue
        if max_chars and len(text) > max_chars:
            out.append(_Bad(f"text has {len(text):,} characters, over the limit of {max_chars:,}"))
            continue
        customer = _as_text(customers[n], "customer message") if customers is not None else None
        if isinstance(customer, _Bad):
            out.append(customer)
            continue
        if customer is not None and max_chars and len(customer) > max_chars:
            out.append(
                _Bad(
                    f"customer message has {len(customer):,} characters, over the limit of "
                    f"{max_chars:,}"
                )
            )
            continue
        out.append((text, customer))
    return out


# --------------------------------------------------------------------------------------------
# Linting
# --------------------------------------------------------------------------------------------

Result = tuple[list[Finding], "Profile"] | _Bad


def _lint(config: str, items: list[tuple[str, str | None]]) -> list[Result]:
    """Findings and profile of each item, batched; an item the engine fails on is that row's
    error (the others are linted again one by one)."""
    from ..profile import check_with_profiles

    if not items:
        return []
    linter = linter_for(config)
    try:
        return [(r.findings, p) for r, p in check_with_profiles(linter, items)]
    except Exception:  # one bad draft must not lose the batch: find it
        out: list[Result] = []
        for item in items:
            try:
                ((report, profile),) = check_with_profiles(linter, [item])
                out.append((report.findings, profile))
            except Exception as exc:
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                out.append(_Bad(f"could not be linted: {first}"))
        return out


def _finding_row(f: Finding) -> dict[str, Any]:
    first = f.suggestions[0] if f.suggestions else None
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "category": f.category.value,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "excerpt": f.excerpt,
        "message": f.message,
        "suggestion": first.replacement if first else None,
        "applicability": first.applicability.value if first else None,
    }


def check_columns(names: Sequence[str], wanted: Iterable[str | None]) -> None:
    missing = [w for w in wanted if w is not None and w not in names]
    if missing:
        shown = ", ".join(names) or "none"
        raise ValueError(f"no column {missing[0]!r} (columns: {shown})")


def key_names(id: str | None, keep: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*([id] if id is not None else []), *keep]))


def lint_table(
    table: pa.Table | pa.RecordBatch,
    *,
    text: str,
    customer: str | None = None,
    id: str | None = None,
    keep: Sequence[str] = (),
    channel: str = "auto",
    config: Config | str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> tuple[pa.Table, pa.Table]:
    """Lint the replies of an Arrow table: ``(replies, findings)`` (see the module doc).

    ``text``: the column of reply texts; ``customer``: the column of the customer's message
    each reply answers (optional context); ``id`` and ``keep``: the key columns passed
    through; ``config``: a :class:`~replylint.Config` or its JSON (default: every rule)."""
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    check_columns(table.column_names, [text, customer, id, *keep])
    keys = table.select(key_names(id, keep))
    texts = _column_values(table.column(text), "text")
    customers = (
        _column_values(table.column(customer), "customer message") if customer is not None else None
    )
    return build_tables(keys, texts, customers, channel, config, max_chars)


def build_tables(
    keys: pa.Table,
    texts: Sequence[object],
    customers: Sequence[object] | None,
    channel: str,
    config: Config | str | None,
    max_chars: int,
) -> tuple[pa.Table, pa.Table]:
    dump = config_json(config)
    rows = _texts(texts, customers, max_chars)
    linted = iter(_lint(dump, [r for r in rows if not isinstance(r, _Bad)]))
    results: list[Result] = [r if isinstance(r, _Bad) else next(linted) for r in rows]

    n = len(results)
    cols: dict[str, list[Any]] = {name: [] for name in REPLY_COLUMNS[3:]}
    owners: list[int] = []  # the replies row of each finding
    finding_rows: list[dict[str, Any]] = []
    for i, res in enumerate(results):
        cols["channel"].append(channel)
        if isinstance(res, _Bad):
            cols["language"].append(None)
            cols["error"].append(res.error)
            for name in ("n_info", "n_warning", "n_error", *(f"n_{c}" for c in CATEGORIES)):
                cols[name].append(0)
            cols["worst_severity"].append(None)
            for name in (*_moves(), "apology_kind"):
                cols[name].append(None)
            cols["findings"].append([])
            continue
        findings, profile = res
        cols["language"].append("en")
        cols["error"].append(None)
        for sev in Severity:
            cols[f"n_{sev.value}"].append(sum(1 for f in findings if f.severity is sev))
        worst = max((f.severity for f in findings), key=lambda s: s.rank, default=None)
        cols["worst_severity"].append(worst.value if worst is not None else None)
        for c in CATEGORIES:
            cols[f"n_{c}"].append(sum(1 for f in findings if f.category.value == c))
        for name in _moves():
            cols[name].append(getattr(profile, name))
        cols["apology_kind"].append(profile.apology_kind)
        found = [_finding_row(f) for f in findings]
        cols["findings"].append(found)
        finding_rows.extend(found)
        owners.extend([i] * len(found))

    schema = REPLIES_SCHEMA(keys.schema.remove_metadata())
    fixed = {f.name: f.type for f in REPLY_FIELDS}
    arrays = [keys.column(k) for k in keys.column_names]
    arrays += [
        pa.array([__version__] * n, pa.string()),
        pa.array([config_hash(dump)] * n, pa.string()),
        pa.array([SCHEMA_VERSION] * n, pa.string()),
    ]
    arrays += [pa.array(cols[name], fixed[name]) for name in REPLY_COLUMNS[3:]]
    replies = pa.Table.from_arrays(arrays, schema=schema)

    fschema = FINDINGS_SCHEMA(keys.schema.remove_metadata())
    owned = keys.take(pa.array(owners, pa.int64()))
    farrays = [owned.column(k) for k in keys.column_names]
    farrays += [pa.array([r[f.name] for r in finding_rows], f.type) for f in FINDING_FIELDS]
    findings_table = pa.Table.from_arrays(farrays, schema=fschema)
    return replies, findings_table


def _moves() -> tuple[str, ...]:
    from ..profile import MOVES

    return MOVES


def worker_options(
    *,
    text: str,
    customer: str | None,
    id: str | None,
    keep: Sequence[str],
    channel: str,
    config: Config | str | None,
    max_chars: int,
) -> dict[str, Any]:
    """:func:`lint_table`'s options as they travel to worker processes: the configuration as
    its JSON (a string travels to the workers; a Linter cannot)."""
    return {
        "text": text,
        "customer": customer,
        "id": id,
        "keep": tuple(keep),
        "channel": channel,
        "config": config_json(config),
        "max_chars": max_chars,
    }


def shape_index(shape: str) -> int:
    """Which of ``(replies, findings)`` the ``shape`` names; a ValueError for another."""
    if shape not in ("replies", "findings"):
        raise ValueError(f"shape must be 'replies' or 'findings', got {shape!r}")
    return 0 if shape == "replies" else 1
