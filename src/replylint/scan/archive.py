"""Reading the archive as a stream: Parquet row groups in record batches (without pyarrow's
read-ahead), CSV in blocks, only the columns the scan needs."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .options import ScanError, ScanOptions

READ_ROWS = 4_096  # rows per record batch read from the archive


class Archive:
    """The archive's columns we need, as record batches with their first row's number."""

    def __init__(self, path: str, options: ScanOptions) -> None:
        self.path = path
        self.options = options
        self.wanted = list(
            dict.fromkeys(
                [
                    options.text,
                    *([options.customer] if options.customer else []),
                    options.id,
                    *options.keep,
                ]
            )
        )
        self.total: int | None = None
        suffix = Path(path).suffix.lower()
        if not os.path.exists(path):
            raise ScanError(f"{path}: no such file or folder")
        if os.path.isdir(path):
            self.files = sorted(str(p) for p in Path(path).rglob("*.parquet"))
            if not self.files:
                raise ScanError(f"{path}: no .parquet files in this folder")
            self.kind = "parquet"
        elif suffix in (".parquet", ".pq"):
            self.files = [path]
            self.kind = "parquet"
        elif suffix in (".csv", ".tsv"):
            self.files = [path]
            self.kind = "csv"
        else:
            raise ScanError(f"{path}: not a Parquet or CSV archive (.parquet, .pq, .csv, .tsv)")
        if self.kind == "parquet":
            self._open_parquet()
        else:
            self._open_csv()

    def _missing(self, names: list[str], where: str) -> None:
        for name in self.wanted:
            if name not in names:
                shown = ", ".join(names) or "none"
                raise ScanError(f"{where}: no column {name!r} (columns: {shown})")

    def _open_parquet(self) -> None:
        total = 0
        self.parquet: list[pq.ParquetFile] = []
        for name in self.files:
            try:
                # pre_buffer (the default) reads ahead and keeps whole column chunks: memory
                # grew with the file (benchmarks/README.md)
                f = pq.ParquetFile(name, pre_buffer=False, buffer_size=1 << 20)
            except (OSError, pa.ArrowException) as exc:
                raise ScanError(f"{name}: not a readable Parquet file: {first_line(exc)}") from None
            self._missing(f.schema_arrow.names, name)
            self.parquet.append(f)
            total += f.metadata.num_rows
        self.total = total

    def _open_csv(self) -> None:
        delimiter = "\t" if self.path.lower().endswith(".tsv") else ","
        self.delimiter = delimiter
        try:
            with open(self.path, "rb") as fh:
                head = fh.readline()
        except OSError as exc:
            raise ScanError(f"{self.path}: {exc.strerror or exc}") from None
        try:
            names = next(csv.reader([head.decode("utf-8-sig")], delimiter=delimiter), [])
        except UnicodeDecodeError:
            raise ScanError(f"{self.path}: line 1: the header is not valid UTF-8") from None
        self._missing(names, self.path)
        self.names = names

    def batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        if self.kind == "parquet":
            yield from self._parquet_batches()
        else:
            yield from self._csv_batches()

    def _parquet_batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        start = 0
        for name, f in zip(self.files, self.parquet, strict=True):
            try:
                for batch in f.iter_batches(batch_size=READ_ROWS, columns=self.wanted):
                    yield start, batch
                    start += batch.num_rows
            except (OSError, pa.ArrowException) as exc:
                raise ScanError(
                    f"{name}: cannot read row {start + 1:,}: {first_line(exc)}"
                ) from None

    def _csv_batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        import pyarrow.csv as pacsv

        o = self.options
        texts = {o.text, *([o.customer] if o.customer else [])}
        # text as bytes (a cell that is not UTF-8 is that row's error); keys as strings
        types = {n: (pa.binary() if n in texts else pa.string()) for n in self.wanted}
        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(block_size=1 << 22),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    include_columns=self.wanted,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (OSError, pa.ArrowException) as exc:
            raise ScanError(f"{self.path}: {first_line(exc)}") from None
        start = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except (OSError, pa.ArrowException) as exc:
                raise ScanError(
                    f"{self.path}: after row {start:,}: {first_line(exc)} (rows before it are kept)"
                ) from None
            for k in range(0, batch.num_rows, READ_ROWS):
                piece = batch.slice(k, READ_ROWS)
                yield start, piece
                start += piece.num_rows


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
