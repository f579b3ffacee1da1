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

import hashlib
import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .__about__ import __version__
from .config import Config
from .models import Category, Finding, Severity

if TYPE_CHECKING:
    import pandas as pd

    from .api import Linter
    from .profile import Profile

SCHEMA_VERSION = "1"
DEFAULT_MAX_CHARS = 100_000  # a longer text is a bad row (a pasted log, not a reply)
CATEGORIES = tuple(c.value for c in Category)
_METADATA = {b"replylint.schema_version": SCHEMA_VERSION.encode()}

_FINDING_FIELDS = [
    pa.field("rule", pa.string()),
    pa.field("severity", pa.string()),
    pa.field("category", pa.string()),
    pa.field("line", pa.int32()),
    pa.field("column", pa.int32()),
    pa.field("end_line", pa.int32()),
    pa.field("end_column", pa.int32()),
    pa.field("excerpt", pa.string()),
    pa.field("message", pa.string()),
    pa.field("suggestion", pa.string()),  # the first suggestion's replacement, or null
    pa.field("applicability", pa.string()),  # safe | unsafe | display-only, or null
]
FINDING_TYPE = pa.struct(_FINDING_FIELDS)

_REPLY_FIELDS = [
    pa.field("replylint_version", pa.string()),
    pa.field("config_hash", pa.string()),
    pa.field("schema_version", pa.string()),
    pa.field("channel", pa.string()),
    pa.field("language", pa.string()),
    pa.field("error", pa.string()),
    pa.field("n_info", pa.int32()),
    pa.field("n_warning", pa.int32()),
    pa.field("n_error", pa.int32()),
    pa.field("worst_severity", pa.string()),
    *(pa.field(f"n_{c}", pa.int32()) for c in CATEGORIES),
    pa.field("acknowledges_feelings", pa.bool_()),
    pa.field("apologizes", pa.bool_()),
    pa.field("paraphrases_issue", pa.bool_()),
    pa.field("explains", pa.bool_()),
    pa.field("offers_next_step", pa.bool_()),
    pa.field("gives_timeline", pa.bool_()),
    pa.field("checks_back", pa.bool_()),
    pa.field("takes_ownership", pa.bool_()),
    pa.field("greets", pa.bool_()),
    pa.field("signs_off", pa.bool_()),
    pa.field("apology_kind", pa.string()),
    pa.field("findings", pa.list_(FINDING_TYPE)),
]
REPLY_COLUMNS = tuple(f.name for f in _REPLY_FIELDS)
FINDING_COLUMNS = tuple(f.name for f in _FINDING_FIELDS)


def _key_fields(keys: pa.Schema | Sequence[pa.Field]) -> list[pa.Field]:
    fields = list(keys)
    for f in fields:
        if f.name in REPLY_COLUMNS or f.name in FINDING_COLUMNS:
            raise ValueError(
                f"key column {f.name!r} has the name of an output column; rename it first"
            )
    return fields


def REPLIES_SCHEMA(keys: pa.Schema | Sequence[pa.Field] = ()) -> pa.Schema:
    """The replies table's schema: the key columns (``keys``, their own types), then the
    fixed columns (the README's "Helpdesk archives")."""
    return pa.schema([*_key_fields(keys), *_REPLY_FIELDS], metadata=_METADATA)


def FINDINGS_SCHEMA(keys: pa.Schema | Sequence[pa.Field] = ()) -> pa.Schema:
    """The findings table's schema: the reply's key columns, then one finding's columns."""
    return pa.schema([*_key_fields(keys), *_FINDING_FIELDS], metadata=_METADATA)


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
    from .api import Linter

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
    from .profile import check_with_profiles

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


def _check_columns(names: Sequence[str], wanted: Iterable[str | None]) -> None:
    missing = [w for w in wanted if w is not None and w not in names]
    if missing:
        shown = ", ".join(names) or "none"
        raise ValueError(f"no column {missing[0]!r} (columns: {shown})")


def _key_names(id: str | None, keep: Sequence[str]) -> list[str]:
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
    _check_columns(table.column_names, [text, customer, id, *keep])
    keys = table.select(_key_names(id, keep))
    texts = _column_values(table.column(text), "text")
    customers = (
        _column_values(table.column(customer), "customer message") if customer is not None else None
    )
    return _build(keys, texts, customers, channel, config, max_chars)


def _build(
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
    fixed = {f.name: f.type for f in _REPLY_FIELDS}
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
    farrays += [pa.array([r[f.name] for r in finding_rows], f.type) for f in _FINDING_FIELDS]
    findings_table = pa.Table.from_arrays(farrays, schema=fschema)
    return replies, findings_table


def _moves() -> tuple[str, ...]:
    from .profile import MOVES

    return MOVES


# --------------------------------------------------------------------------------------------
# pandas
# --------------------------------------------------------------------------------------------


def _keys_of_frame(df: pd.DataFrame, names: list[str]) -> pa.Table:
    """The key columns of a pandas frame as Arrow (their own types; an all-null or empty
    object column is read as strings)."""
    if not names:
        return pa.table({"_": pa.nulls(len(df))}).select([])
    table = pa.Table.from_pandas(df[names], preserve_index=False)
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def lint_frame(
    df: pd.DataFrame,
    *,
    text: str,
    customer: str | None = None,
    id: str | None = None,
    keep: Sequence[str] = (),
    channel: str = "auto",
    config: Config | str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`lint_table` for a pandas DataFrame: ``(replies, findings)`` as DataFrames whose
    columns are Arrow-backed (``pd.ArrowDtype``: the schema's exact, nullable types; the
    ``findings`` column a list of dicts). Works on an empty frame without loading the model
    (what Dask asks for its ``meta``)."""
    import pandas as pd

    replies, findings = frame_tables(
        df,
        text=text,
        customer=customer,
        id=id,
        keep=keep,
        channel=channel,
        config=config,
        max_chars=max_chars,
    )
    return (
        replies.to_pandas(types_mapper=pd.ArrowDtype),
        findings.to_pandas(types_mapper=pd.ArrowDtype),
    )


def frame_tables(
    df: pd.DataFrame,
    *,
    text: str,
    customer: str | None = None,
    id: str | None = None,
    keep: Sequence[str] = (),
    channel: str = "auto",
    config: Config | str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> tuple[pa.Table, pa.Table]:
    """:func:`lint_frame` with the results as Arrow tables. A pandas column's cells are
    judged one by one (a text column of mixed values has its bad rows, not a failure)."""
    _check_columns([str(c) for c in df.columns], [text, customer, id, *keep])
    keys = _keys_of_frame(df, _key_names(id, keep))
    customers = df[customer].tolist() if customer is not None else None
    return _build(keys, df[text].tolist(), customers, channel, config, max_chars)


def lint_batches(batches: Iterable[Any], **options: Any) -> Iterator[tuple[Any, Any]]:
    """Lint a stream of tables (pandas DataFrames, Arrow tables or record batches) one at a
    time, yielding ``(replies, findings)`` for each in order, of the same kind as the input:
    memory holds one batch, whatever the stream's length. ``options`` are
    :func:`lint_frame`'s (``text=`` is required)."""
    for batch in batches:
        if isinstance(batch, pa.Table | pa.RecordBatch):
            yield lint_table(batch, **options)
        else:
            yield lint_frame(batch, **options)


__all__ = [
    "CATEGORIES",
    "DEFAULT_MAX_CHARS",
    "FINDINGS_SCHEMA",
    "FINDING_COLUMNS",
    "REPLIES_SCHEMA",
    "REPLY_COLUMNS",
    "SCHEMA_VERSION",
    "config_hash",
    "frame_tables",
    "lint_batches",
    "lint_frame",
    "lint_table",
    "linter_for",
]
