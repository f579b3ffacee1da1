"""A helpdesk archive on Spark: :func:`lint_dataframe` on ``mapInPandas`` (``replylint[spark]``).

Each Python worker builds its own :class:`~replylint.Linter` from the configuration's JSON on
the first batch it gets (a Linter cannot be pickled) and keeps it: Spark reuses its Python
workers across tasks, so the pipeline loads once per worker process, not once per task.
Executors need replylint and its model installed (see the README, "Helpdesk archives").
pyspark is imported when these functions are called, never by ``import replylint``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .config import Config
from .frame import (
    DEFAULT_MAX_CHARS,
    FINDING_COLUMNS,
    FINDINGS_SCHEMA,
    REPLIES_SCHEMA,
    REPLY_COLUMNS,
    Shape,
    shape_index,
    worker_options,
)

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame


def _spark_schema(df: DataFrame, keys: list[str], shape: Shape) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import StructType

    fixed = (REPLIES_SCHEMA if shape == "replies" else FINDINGS_SCHEMA)([])
    fields = [df.schema[name] for name in keys]  # the keys keep their Spark types
    return StructType([*fields, *from_arrow_schema(fixed).fields])


def lint_dataframe(
    df: DataFrame,
    *,
    text: str,
    customer: str | None = None,
    id: str | None = None,
    keep: Sequence[str] = (),
    config: Config | str | None = None,
    shape: Shape = "replies",
    channel: str = "auto",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> DataFrame:
    """Lint the replies of a Spark DataFrame; lazily, like any transformation.

    ``shape="replies"``: one row per input row (the key columns ``id`` and ``keep`` with their
    Spark types, then the fixed columns of :func:`replylint.frame.REPLIES_SCHEMA`, the findings
    as an array of structs); ``shape="findings"``: one row per finding. To have both from one
    pass, lint the replies, cache or write them, and :func:`explode_findings` them."""
    index = shape_index(shape)
    keys = list(dict.fromkeys([*([id] if id is not None else []), *keep]))
    needed = list(dict.fromkeys([text, *([customer] if customer else []), *keys]))
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"no column {missing[0]!r} (columns: {', '.join(df.columns)})")
    schema = _spark_schema(df, keys, shape)
    options = worker_options(
        text=text,
        customer=customer,
        id=id,
        keep=keep,
        channel=channel,
        config=config,
        max_chars=max_chars,
    )

    def lint(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from replylint.frame import frame_tables

        for frame in frames:
            yield frame_tables(frame, **options)[index].to_pandas()

    return df.select(*needed).mapInPandas(lint, schema)


def explode_findings(replies: DataFrame) -> DataFrame:
    """One row per finding from :func:`lint_dataframe`'s replies: the reply's key columns and
    the finding's fields (the ``shape="findings"`` schema), without linting again."""
    from pyspark.sql import functions as F

    keys = [c for c in replies.columns if c not in REPLY_COLUMNS]
    exploded = replies.select(*keys, F.explode("findings").alias("_finding"))
    return exploded.select(*keys, *(F.col(f"_finding.{c}").alias(c) for c in FINDING_COLUMNS))


__all__ = ["explode_findings", "lint_dataframe"]
