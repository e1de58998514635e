# SPDX-License-Identifier: MIT
"""
Stream N generated cases through evaluate_many() and report peak memory.

Run by ``python -m benchmarks`` in a fresh process per N
(``python -m benchmarks.memory N [generated|dicts|json]`` prints one JSON
line).
``generated``: the cases are generated one by one from the seeded stream
(a generator, never a list), built into Assessments, evaluated and
dropped; so the peak resident memory must not depend on N.
``dicts`` and ``json`` (issue 16): the first 1,000 cases, as plain dicts
or as JSON lines (the text a JSON-lines file holds), are made once and
cycled through N times: each one is read (:func:`Assessment.from_answers`
or :func:`~spasmcare.load_assessment`), evaluated and dropped, so the
time per record is the reading and the evaluation alone.
"""

from __future__ import annotations

import itertools
import json
import resource
import sys
import time
from collections.abc import Iterator

from spasmcare import (
    Assessment,
    dump_assessment,
    evaluate_many,
    load_assessment,
)

from .cases import generate, to_assessment

#: How many distinct records the dicts and json streams cycle through.
POOL = 1000

__all__ = ["main", "stream"]


def _status_kib(field: str) -> int:
    """
    A memory figure of this process, in KiB: ``VmRSS`` (now) or ``VmHWM``
    (the peak), from ``/proc/self/status``.

    ``ru_maxrss`` is no use here: on Linux a child started from a big
    process inherits that process's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    # Not Linux: the peak so far is the best there is.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def stream(count: int, source: str = "generated") -> Iterator[Assessment]:
    """
    *count* assessments, one at a time, read from *source*.
    """
    if source == "generated":
        return (to_assessment(record) for record in generate(count))
    records = list(generate(POOL))
    if source == "dicts":
        pool = itertools.islice(itertools.cycle(records), count)
        return (to_assessment(record) for record in pool)
    lines = [json.dumps(dump_assessment(to_assessment(r))) for r in records]
    return (
        load_assessment(line)
        for line in itertools.islice(itertools.cycle(lines), count)
    )


def main(argv: list[str] | None = None) -> None:
    """
    Stream ``argv[0]`` cases; print count, seconds and memory as JSON.
    """
    args = argv if argv is not None else sys.argv[1:]
    count = int(args[0])
    source = args[1] if len(args) > 1 else "generated"
    # Warm up (compiles the rules) before the starting point is taken.
    for _ in evaluate_many(stream(1000, source)):
        pass
    start = _status_kib("VmRSS")
    samples = [start]
    levels: dict[str, int] = {}
    began = time.perf_counter()
    for escalation in evaluate_many(
        stream(count, source),
        progress=lambda _: samples.append(_status_kib("VmRSS")),
        every=10_000,
    ):
        name = escalation.level.name
        levels[name] = levels.get(name, 0) + 1
    seconds = time.perf_counter() - began
    peak = _status_kib("VmHWM")
    print(
        json.dumps(
            {
                "count": count,
                "source": source,
                "seconds": seconds,
                "start_kib": start,
                "max_sampled_kib": max(samples),
                "peak_kib": peak,
                "levels": levels,
            }
        )
    )


if __name__ == "__main__":
    main()
