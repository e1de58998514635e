# SPDX-License-Identifier: MIT
"""
Stream N generated cases through evaluate_many() and report peak memory.

Run by ``python -m benchmarks`` in a fresh process per N
(``python -m benchmarks.memory N`` prints one JSON line).
The cases are generated one by one from the seeded stream
(a generator, never a list), built into Assessments, evaluated and
dropped; so the peak resident memory must not depend on N.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator

from spasmcare import Assessment, evaluate_many

from .cases import generate, to_assessment

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


def stream(count: int) -> Iterator[Assessment]:
    """
    *count* generated assessments, one at a time.
    """
    return (to_assessment(record) for record in generate(count))


def main(argv: list[str] | None = None) -> None:
    """
    Stream ``argv[0]`` cases; print count, seconds and memory as JSON.
    """
    count = int((argv if argv is not None else sys.argv[1:])[0])
    # Warm up (compiles the rules) before the starting point is taken.
    for _ in evaluate_many(stream(1000)):
        pass
    start = _status_kib("VmRSS")
    samples = [start]
    levels: dict[str, int] = {}
    began = time.perf_counter()
    for escalation in evaluate_many(
        stream(count),
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
