# SPDX-License-Identifier: MIT
"""
Evaluate a large JSON-lines batch on every core of one machine.

The evaluator is pure and holds no state, so records can be shared out
among processes freely. Each worker gets a chunk of lines, evaluates it
with :func:`spasmcare.evaluate_batch` and sends back JSON text
(``spasmcare schema batch-result``), which is cheap to pass between
processes; the results come back in input order, each with its
position in the whole file and its id.

For data that does not fit one machine, use the Spark or Dask faces
instead (``spasmcare[spark]``, ``spasmcare[dask]``).

Run it with ``python examples/parallel_batch.py FILE [WORKERS [CHUNK]]``;
it writes one result per line to standard output and a summary to
standard error.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from spasmcare import dump_batch_result, evaluate_batch

#: Lines per task: large enough that sending a chunk costs little next
#: to evaluating it.
CHUNK = 2000


def evaluate_chunk(start: int, lines: list[str]) -> list[str]:
    """
    The batch-result lines for *lines*, numbered from *start*.
    """
    out = []
    for result in evaluate_batch(lines):
        document = dump_batch_result(result)
        document["index"] += start
        out.append(json.dumps(document, ensure_ascii=False))
    return out


def chunks(lines: Iterable[str], size: int) -> Iterator[tuple[int, list[str]]]:
    """
    Consecutive chunks of *size* lines, each with its first index.
    """
    iterator = iter(lines)
    start = 0
    while chunk := list(itertools.islice(iterator, size)):
        yield start, chunk
        start += len(chunk)


def in_order(
    pool: concurrent.futures.Executor,
    tasks: Iterable[tuple[int, list[str]]],
    window: int,
) -> Iterator[list[str]]:
    """
    The results of *tasks*, in order, with at most *window* chunks in
    flight, so memory stays bounded however long the file is.
    """
    pending: collections.deque[concurrent.futures.Future[list[str]]]
    pending = collections.deque()
    for start, chunk in tasks:
        pending.append(pool.submit(evaluate_chunk, start, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def main(argv: list[str] | None = None) -> int:
    """
    Evaluate FILE with WORKERS processes (default: one per core),
    CHUNK lines per task.
    """
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0])
    workers = int(args[1]) if len(args) > 1 else (os.cpu_count() or 1)
    size = int(args[2]) if len(args) > 2 else CHUNK  # noqa: PLR2004
    levels: collections.Counter[str] = collections.Counter()
    with (
        path.open(encoding="utf-8") as file,
        concurrent.futures.ProcessPoolExecutor(workers) as pool,
    ):
        lines = (line for line in file if line.strip())
        for out in in_order(pool, chunks(lines, size), 2 * workers):
            for line in out:
                print(line)
                escalation = json.loads(line)["escalation"]
                levels[escalation["level"] if escalation else "rejected"] += 1
    summary = ", ".join(f"{k} {n}" for k, n in sorted(levels.items()))
    print(f"{levels.total()} records: {summary}", file=sys.stderr)
    return 1 if levels["rejected"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
