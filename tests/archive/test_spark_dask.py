"""The archive core on the engines helpdesks already have: Spark (a real local[2] session on
mapInPandas) and Dask (a LocalCluster of two worker processes). Both must find exactly what
``Linter.check`` finds, keyed by reply id."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from tests.archive.test_archive import N, _corpus, finding_set, reference

pytestmark = pytest.mark.slow  # a local Spark session and a Dask LocalCluster


# .ci/run sets this where it installed Java and pyspark: there the Spark test may not skip
REQUIRE_SPARK = os.environ.get("REPLYLINT_REQUIRE_SPARK") == "1"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    df = _corpus()
    df.loc[3, "body"] = None  # bad rows travel too
    df.loc[4, "body"] = "  "
    return df


@pytest.fixture(scope="module")
def expected(corpus: pd.DataFrame) -> set[Any]:
    return reference(corpus.drop(index=[3, 4]))


def _spark_missing() -> str | None:
    if shutil.which("java") is None:
        return "no Java runtime (.ci/run installs default-jre-headless; it could not here)"
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install '.[spark]'; .ci/run does)"
    return None


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    missing = _spark_missing()
    if missing is not None:
        if REQUIRE_SPARK:
            pytest.fail(f"REPLYLINT_REQUIRE_SPARK=1 but {missing}")
        message = f"SPARK TEST SKIPPED: {missing}"
        print(f"\n{'!' * 80}\n{message}\n{'!' * 80}", file=sys.stderr)
        pytest.skip(message)
    from pyspark.sql import SparkSession

    # the Python workers must be this interpreter (with replylint and its model), as on a
    # cluster: PYSPARK_PYTHON
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("replylint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")
def test_spark_local2_finds_what_linter_check_finds(
    spark: Any, corpus: pd.DataFrame, expected: set[Any]
) -> None:
    from replylint.frame import REPLY_COLUMNS
    from replylint.spark import explode_findings, lint_dataframe

    df = spark.createDataFrame(corpus).repartition(4)
    replies = lint_dataframe(df, text="body", id="ticket_id", keep=["team", "agent"]).cache()
    rows = replies.toPandas()
    assert sorted(rows["ticket_id"]) == sorted(corpus["ticket_id"])
    assert list(rows.columns) == ["ticket_id", "team", "agent", *REPLY_COLUMNS]
    errors = dict(zip(rows["ticket_id"], rows["error"], strict=True))
    assert errors["T000003"] == "text is null" and errors["T000004"] == "text is empty"
    assert sum(not pd.isna(e) for e in errors.values()) == 2
    exploded = explode_findings(replies).toPandas()
    assert finding_set(exploded) == expected
    direct = lint_dataframe(
        df, text="body", id="ticket_id", keep=["team", "agent"], shape="findings"
    ).toPandas()
    assert finding_set(direct) == expected
    assert list(direct.columns) == list(exploded.columns)
    assert len(direct) == int(rows["n_info"].sum() + rows["n_warning"].sum())
    with pytest.raises(ValueError, match="no column 'text'"):
        lint_dataframe(df, text="text")


def test_dask_local_cluster_finds_what_linter_check_finds(
    corpus: pd.DataFrame, expected: set[Any]
) -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from replylint.dask import lint_dataframe

    ddf = dd.from_pandas(corpus, npartitions=4)
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        findings = lint_dataframe(ddf, text="body", id="ticket_id", shape="findings").compute()
        replies = lint_dataframe(ddf, text="body", id="ticket_id", keep=["team"]).compute()
        workers = client.run(os.getpid)
    assert len(set(workers.values())) == 2  # two worker processes, not threads
    assert finding_set(findings) == expected
    assert sorted(replies["ticket_id"]) == sorted(corpus["ticket_id"])
    assert replies["error"].notna().sum() == 2
    assert len(corpus) == N
