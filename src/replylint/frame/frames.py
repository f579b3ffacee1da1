"""pandas DataFrames in and out of :func:`~replylint.frame.lint_table`, and streams of
tables linted one at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..config import Config
from .schema import DEFAULT_MAX_CHARS
from .table import build_tables, check_columns, key_names, lint_table

if TYPE_CHECKING:
    import pandas as pd


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
    check_columns([str(c) for c in df.columns], [text, customer, id, *keep])
    keys = _keys_of_frame(df, key_names(id, keep))
    customers = df[customer].tolist() if customer is not None else None
    return build_tables(keys, df[text].tolist(), customers, channel, config, max_chars)


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
