"""A helpdesk archive on Dask: :func:`lint_dataframe` through ``map_partitions``.

The same pandas core as everywhere (:func:`replylint.frame.lint_frame`): each worker process
builds its Linter from the configuration's JSON on its first partition and keeps it. Use
worker *processes* (``LocalCluster(processes=True)``, or ``dask-worker --nthreads 1``): the
pipeline lints one batch at a time per process, so threads add nothing. dask is imported by
the caller, never by ``import replylint``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .config import Config
from .frame import DEFAULT_MAX_CHARS, Shape, lint_frame, shape_index, worker_options

if TYPE_CHECKING:
    import pandas as pd


def _lint_partition(frame: pd.DataFrame, index: int, options: dict[str, Any]) -> pd.DataFrame:
    return lint_frame(frame, **options)[index]


def lint_dataframe(
    ddf: Any,
    *,
    text: str,
    customer: str | None = None,
    id: str | None = None,
    keep: Sequence[str] = (),
    config: Config | str | None = None,
    shape: Shape = "replies",
    channel: str = "auto",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Any:
    """Lint the replies of a Dask DataFrame (lazily): the ``replies`` or ``findings`` of
    :func:`replylint.frame.lint_frame` for each partition, with Arrow-backed columns."""
    index = shape_index(shape)
    options = worker_options(
        text=text,
        customer=customer,
        id=id,
        keep=keep,
        channel=channel,
        config=config,
        max_chars=max_chars,
    )
    meta = _lint_partition(ddf._meta, index, options)  # an empty frame: no model loaded
    return ddf.map_partitions(_lint_partition, index, options, meta=meta)


__all__ = ["lint_dataframe"]
