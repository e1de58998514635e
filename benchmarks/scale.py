# SPDX-License-Identifier: MIT
"""
Population scale: rows per second and peak memory for N generated rows
through ``evaluate_many``, ``spasmcare batch`` on Parquet, Dask (threads)
and Spark (``local[2]``), in one run.

Run from the repository root::

    .venv/bin/python -m benchmarks.scale                 # 1,000,000 rows
    .venv/bin/python -m benchmarks.scale --rows 20000 --engines many,batch,dask

The rows come from the seeded stream of ``benchmarks/cases.py``, written
once to a Parquet file (one column per question, booleans with null for
unknown). Each engine then runs in a fresh process, so that its peak
resident memory (``VmHWM``, summed over the process and its children:
Spark's JVM and Python workers) is its own.
Every engine must give the same count at each level, or the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .cases import generate, to_assessment

__all__ = ["ENGINES", "main"]

#: The engines, in the order they run.
ENGINES = ("many", "batch", "dask", "spark")
_CHUNK = 50_000


def _status_kib(pid: int | str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:  # noqa: PTH123
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> Iterator[int]:
    yield pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return
    for child in children.split():
        yield from _tree(int(child))


def tree_peak_kib() -> int:
    """
    The peak resident memory of this process and its live children, KiB.
    """
    return sum(_status_kib(pid, "VmHWM") for pid in _tree(os.getpid()))


def write_rows(path: Path, count: int) -> None:
    """
    *count* generated records as a Parquet file, a chunk at a time.
    """
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    from spasmcare.rows import ANSWER_COLUMNS  # noqa: PLC0415

    records = generate(count)
    writer = None
    done = 0
    while done < count:
        chunk = [next(records) for _ in range(min(_CHUNK, count - done))]
        done += len(chunk)
        columns: dict[str, list[Any]] = {
            "id": [str(done - len(chunk) + i) for i in range(len(chunk))]
        }
        for finding in ANSWER_COLUMNS:
            columns[finding] = [r["answers"].get(finding) for r in chunk]
        for name in ("age_years", "pain_score", "duration_days"):
            columns[name] = [r[name] for r in chunk]
        columns["episodes_past_year"] = [
            r["episodes_past_year"] for r in chunk
        ]
        table = pa.table(
            {
                name: pa.array(values, type=_type(name))
                for name, values in columns.items()
            }
        )
        if writer is None:
            schema = table.schema
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(table.cast(schema))
    assert writer is not None  # noqa: S101
    writer.close()


def _type(name: str) -> Any:
    import pyarrow as pa  # noqa: PLC0415

    from spasmcare.rows import NUMBER_COLUMNS  # noqa: PLC0415

    if name == "id":
        return pa.string()
    return pa.int64() if name in NUMBER_COLUMNS else pa.bool_()


def _many(_: Path, __: Path, count: int) -> dict[str, int]:
    from spasmcare import evaluate_many  # noqa: PLC0415

    levels: dict[str, int] = {}
    stream = (to_assessment(record) for record in generate(count))
    for escalation in evaluate_many(stream):
        levels[escalation.level.value] = (
            levels.get(escalation.level.value, 0) + 1
        )
    return levels


def _batch(source: Path, out: Path, _: int) -> dict[str, int]:
    import pyarrow.parquet as pq  # noqa: PLC0415

    from spasmcare.cli import main  # noqa: PLC0415

    status = main(["batch", str(source), str(out), "--quiet"])
    if status != 0:
        sys.exit(f"spasmcare batch exited {status}")
    levels = pq.read_table(out, columns=["level"]).column("level").to_pylist()
    return _count(levels)


def _count(levels: list[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for level in levels:
        out[level] = out.get(level, 0) + 1
    return out


def _dask(source: Path, _: Path, __: int) -> dict[str, int]:
    import dask  # noqa: PLC0415
    import dask.dataframe as dd  # noqa: PLC0415

    import spasmcare.dask  # noqa: PLC0415

    with dask.config.set(scheduler="threads", num_workers=2):
        # One partition per row group (50,000 rows), not one per file:
        # memory is per partition.
        frame = dd.read_parquet(source, split_row_groups=True)
        scored = spasmcare.dask.score(frame)
        counts = scored["level"].value_counts().compute()
    return {str(k): int(v) for k, v in counts.items()}


def _spark(source: Path, out: Path, _: int) -> dict[str, int]:
    from pyspark.sql import SparkSession  # noqa: PLC0415

    import spasmcare.spark  # noqa: PLC0415

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    began = time.perf_counter()
    spasmcare.spark.score(spark.read.parquet(str(source))).write.mode(
        "overwrite"
    ).parquet(str(out))
    seconds = time.perf_counter() - began
    rows = spark.read.parquet(str(out)).groupBy("level").count().collect()
    levels = {row["level"]: row["count"] for row in rows}
    # The JVM and the Python workers are children of this process:
    # take their peaks while they are alive.
    levels["__seconds__"] = int(seconds * 1e6)
    levels["__peak_kib__"] = tree_peak_kib()
    spark.stop()
    return levels


_RUN = {"many": _many, "batch": _batch, "dask": _dask, "spark": _spark}


def child(engine: str, source: Path, out: Path, count: int) -> None:
    """
    Run one engine in this (fresh) process; print its report as JSON.
    """
    began = time.perf_counter()
    levels = _RUN[engine](source, out, count)
    seconds = time.perf_counter() - began
    # Spark times its job alone: starting the JVM is not scoring.
    seconds = levels.pop("__seconds__", int(seconds * 1e6)) / 1e6
    peak = levels.pop("__peak_kib__", 0) or tree_peak_kib()
    print(json.dumps({"seconds": seconds, "peak_kib": peak, "levels": levels}))


def run(engines: list[str], count: int) -> list[tuple[str, dict[str, Any]]]:
    """
    Every engine over the same *count* rows; their reports.
    """
    reports = []
    with tempfile.TemporaryDirectory(prefix="spasmcare-scale-") as folder:
        source = Path(folder) / "rows.parquet"
        write_rows(source, count)
        for engine in engines:
            out = Path(folder) / f"{engine}.out.parquet"
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.scale",
                    "--child",
                    engine,
                    "--rows",
                    str(count),
                    "--source",
                    str(source),
                    "--out",
                    str(out),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                sys.exit(f"{engine} failed:\n{result.stderr[-3000:]}")
            lines = [
                x for x in result.stdout.splitlines() if x.startswith("{")
            ]
            reports.append((engine, json.loads(lines[-1])))
    return reports


_NAMES = {
    "many": "evaluate_many() over a generator",
    "batch": "spasmcare batch, Parquet to Parquet",
    "dask": "spasmcare.dask, threads (2), Parquet",
    "spark": "spasmcare.spark, local[2], Parquet",
}


def table(engines: list[str], count: int) -> bool:
    """
    Print the scale table; whether every engine agreed on the levels.
    """
    reports = run(engines, count)
    print()
    print(
        f"{f'{count:,} generated rows, fresh process each':<46}"
        f" {'rows/s':>12}   {'peak RSS':>9}"
    )
    for engine, report in reports:
        rate = count / report["seconds"]
        print(
            f"{_NAMES[engine]:<46} {rate:>12,.0f}"
            f"   {report['peak_kib'] / 1024:6.0f} MiB"
        )
    first = reports[0][1]["levels"]
    agree = all(report["levels"] == first for _, report in reports)
    print(
        "every engine gave the same count at each level"
        if agree
        else f"ENGINES DISAGREE: {[(e, r['levels']) for e, r in reports]}"
    )
    return agree


def main(argv: list[str] | None = None) -> int:
    """
    Run the scale benchmark (or, with ``--child``, one engine).
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated, from: " + ", ".join(ENGINES),
    )
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.source, args.out, args.rows)
        return 0
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    return 0 if table(engines, args.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
