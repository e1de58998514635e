# SPDX-License-Identifier: MIT
"""
spasmcare's benchmarks, with a same-run baseline.

Run from the repository root::

    .venv/bin/python -m benchmarks            # full: a few minutes
    .venv/bin/python -m benchmarks --quick    # smoke: under a minute

Every timed benchmark runs over the same fixed, seeded set of generated
cases (``benchmarks/cases.py``).
The benchmarks are interleaved, round after round, in a rotating order,
so that noise from other work on the machine falls on all of them alike;
each ratio is taken within a round, against the baseline timed in that
round, and the median over the rounds is printed.
Those ratios are the figures that count; absolute times are printed for
information only.

Before anything is timed, the bare if-chain in ``benchmarks/baseline.py``
is checked to agree with :func:`spasmcare.evaluate` on every case.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import spasmcare
from spasmcare import (
    DEFAULT_RULES,
    Assessment,
    Urgency,
    dump_assessment,
    evaluate,
    evaluate_many,
    load_assessment,
    plan_care,
    report_json,
)
from spasmcare._compile import compile_rules, interpret

from . import fhir, peers
from .baseline import baseline
from .cases import RED_FLAGS, SEED, Record, records, to_assessment
from .prompts import CES_TARGET, PLAIN_STRAIN_TARGET, prompt_table
from .scale import ENGINES
from .scale import table as scale_table

__all__ = ["main"]

BASELINE = "baseline: bare if-chain (level, fired ids)"
EVALUATE = "evaluate() with full explanation"
END_TO_END = "end to end: dict -> validate, evaluate, plan"
TARGET_RATIO = 3.0
TARGET_IMPORT_MS = 10.0
TARGET_END_TO_END_US = 30.0
#: Memory growth from the small to the large stream still called flat.
FLAT_KIB = 2048


class Benchmark(NamedTuple):
    """
    One timed loop over every case.
    """

    name: str
    run: Callable[[], object]


def _loop(
    function: Callable[[Any], object], items: Sequence[Any]
) -> Callable[[], None]:
    def run() -> None:
        for item in items:
            function(item)

    return run


def _pairs(
    function: Callable[[Any, Any], object], items: Sequence[tuple[Any, Any]]
) -> Callable[[], None]:
    def run() -> None:
        for first, second in items:
            function(first, second)

    return run


def _end_to_end(record: dict[str, Any]) -> object:
    assessment = to_assessment(record)
    return plan_care(assessment, evaluate(assessment))


def _json_end_to_end(text: str) -> str:
    assessment = load_assessment(text)
    escalation = evaluate(assessment)
    return report_json(escalation, plan_care(assessment, escalation))


def _drain(items: Iterable[object]) -> None:
    collections.deque(items, maxlen=0)


def check_agreement(assessments: Sequence[Assessment]) -> None:
    """
    Stop unless the baseline agrees with evaluate() on every case.
    """
    for index, assessment in enumerate(assessments):
        escalation = evaluate(assessment)
        expected = (escalation.level, tuple(f.id for f in escalation.fired))
        actual = baseline(assessment)
        if expected != actual:
            sys.exit(
                f"baseline disagrees with evaluate() on case {index}: "
                f"{actual} != {expected}\n{assessment!r}"
            )


def time_rounds(
    benchmarks: Sequence[Benchmark], rounds: int, per: int
) -> dict[str, list[float]]:
    """
    Seconds per case of each benchmark, one value per round.
    """
    times: dict[str, list[float]] = {b.name: [] for b in benchmarks}
    for benchmark in benchmarks:  # warm up; compiles the rules
        benchmark.run()
    for index in range(rounds):
        shift = index % len(benchmarks)
        for benchmark in (*benchmarks[shift:], *benchmarks[:shift]):
            began = time.perf_counter()
            benchmark.run()
            times[benchmark.name].append((time.perf_counter() - began) / per)
    return times


def _import_ms(module: str, env: dict[str, str]) -> float:
    code = (
        "import time; began = time.perf_counter(); "
        f"import {module}; print((time.perf_counter() - began) * 1e3)"
    )
    return _run_ms(code, env)


#: In a fresh process, with the core warmed (rules compiled, a plan
#: made): the first JSON call (a document read, its report written) less
#: the same call again, in milliseconds.
_FIRST_JSON = """
import time
import spasmcare
text = '{"schema_version": "1", "answers": {"fever": "present"}}'
a = spasmcare.Assessment.from_answers({"fever": True})
e = spasmcare.evaluate(a)
p = spasmcare.plan_care(a, e)
began = time.perf_counter()
spasmcare.load_assessment(text)
spasmcare.report_json(e, p)
first = time.perf_counter() - began
began = time.perf_counter()
spasmcare.load_assessment(text)
spasmcare.report_json(e, p)
print((first - (time.perf_counter() - began)) * 1e3)
"""

#: In a fresh process after attrs: importing what the JSON face is built
#: on (the standard library's json, cattrs and its JSON converter) and
#: making a converter, in milliseconds.
_JSON_LIBRARY = """
import time
import attrs
began = time.perf_counter()
import json
import cattrs.preconf.json
cattrs.preconf.json.make_converter()
print((time.perf_counter() - began) * 1e3)
"""


@contextlib.contextmanager
def _cached_bytecode() -> Iterator[dict[str, str]]:
    """
    The environment for fresh processes that read bytecode written once to
    a temporary directory (``PYTHONPYCACHEPREFIX``), whatever
    ``PYTHONDONTWRITEBYTECODE`` says: the source tree is left alone.
    """
    with tempfile.TemporaryDirectory(prefix="spasmcare-pycache-") as cache:
        env = {
            key: value
            for key, value in os.environ.items()
            if key != "PYTHONDONTWRITEBYTECODE"
        }
        env["PYTHONPYCACHEPREFIX"] = cache
        yield env


def _run_ms(code: str, env: dict[str, str]) -> float:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return float(result.stdout)


def time_first_json(repeats: int) -> tuple[list[float], list[float]]:
    """
    Milliseconds the first JSON call adds, and milliseconds to load the
    JSON face's library, alternating fresh processes (cached bytecode, as
    for :func:`time_imports`).
    """
    first: list[float] = []
    library: list[float] = []
    with _cached_bytecode() as env:
        _run_ms(_FIRST_JSON, env)  # write the bytecode
        _run_ms(_JSON_LIBRARY, env)
        for _ in range(repeats):
            first.append(_run_ms(_FIRST_JSON, env))
            library.append(_run_ms(_JSON_LIBRARY, env))
    return first, library


def time_imports(repeats: int) -> tuple[list[float], list[float]]:
    """
    Milliseconds to import attrs and spasmcare, alternating fresh processes.

    Both are imported from cached bytecode, as from an installed package:
    the bytecode is written once to a temporary directory
    (``PYTHONPYCACHEPREFIX``), whatever ``PYTHONDONTWRITEBYTECODE`` says,
    and the source tree is left alone.
    """
    attrs_ms: list[float] = []
    spasmcare_ms: list[float] = []
    with _cached_bytecode() as env:
        _import_ms("attrs", env)  # write the bytecode
        _import_ms("spasmcare", env)
        for _ in range(repeats):
            attrs_ms.append(_import_ms("attrs", env))
            spasmcare_ms.append(_import_ms("spasmcare", env))
    return attrs_ms, spasmcare_ms


def stream_memory(count: int, source: str = "generated") -> dict[str, Any]:
    """
    Stream *count* cases from *source* in a fresh process; its report.
    """
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", str(count), source],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:9.2f} µs"


def _ratio(times: list[float], base: list[float]) -> float:
    return statistics.median(t / b for t, b in zip(times, base, strict=True))


def _benchmarks(cases: list[Record]) -> list[Benchmark]:
    assessments = [to_assessment(record) for record in cases]
    escalations = [evaluate(a) for a in assessments]
    texts = [json.dumps(dump_assessment(a)) for a in assessments]
    check_agreement(assessments)
    pairs = list(zip(assessments, escalations, strict=True))
    return [
        Benchmark(BASELINE, _loop(baseline, assessments)),
        Benchmark(EVALUATE, _loop(evaluate, assessments)),
        Benchmark(
            "  rules only, compiled",
            _loop(compile_rules(DEFAULT_RULES), assessments),
        ),
        Benchmark(
            "  rules only, interpreted (check())",
            _loop(interpret(DEFAULT_RULES), assessments),
        ),
        Benchmark(
            "evaluate_many() (streamed)",
            lambda: _drain(evaluate_many(iter(assessments))),
        ),
        Benchmark("plan_care()", _pairs(plan_care, pairs)),
        Benchmark("Assessment from a plain dict", _loop(to_assessment, cases)),
        Benchmark(END_TO_END, _loop(_end_to_end, cases)),
        Benchmark(
            "end to end JSON: load, evaluate, plan, dump",
            _loop(_json_end_to_end, texts),
        ),
    ]


def _describe(cases: list[Record], rounds: int) -> None:
    flagged = sum(
        any(record["answers"].get(f) for f in RED_FLAGS) for record in cases
    )
    levels = collections.Counter(
        evaluate(to_assessment(record)).level for record in cases
    )
    print(
        f"spasmcare {spasmcare.__version__}, Python "
        f"{platform.python_version()} ({platform.machine()}), "
        f"{os.cpu_count()} CPUs; {rounds} interleaved rounds"
    )
    print(
        f"{len(cases):,} generated cases (seed {SEED}): "
        f"{flagged / len(cases):.1%} with a red flag; levels "
        + ", ".join(
            f"{u.name.lower()} {levels[u]:,}" for u in reversed(Urgency)
        )
    )
    print(f"baseline agrees with evaluate() on all {len(cases):,} cases")


def _time_table(
    benchmarks: list[Benchmark], rounds: int, per: int
) -> dict[str, tuple[float, float]]:
    """
    Print the timing table; median seconds per case and ratio, by name.
    """
    times = time_rounds(benchmarks, rounds, per)
    base = times[BASELINE]
    print()
    print(f"{'benchmark':<46} {'median/case':>12}   ratio to baseline")
    results = {}
    for benchmark in benchmarks:
        values = times[benchmark.name]
        median, ratio = statistics.median(values), _ratio(values, base)
        results[benchmark.name] = (median, ratio)
        print(f"{benchmark.name:<46} {_us(median)}   {ratio:6.2f}x")
    return results


def _import_table(repeats: int) -> float:
    """
    Print the import times; the median extra milliseconds of spasmcare.
    """
    attrs_ms, spasmcare_ms = time_imports(repeats)
    extra = statistics.median(
        s - a for s, a in zip(spasmcare_ms, attrs_ms, strict=True)
    )
    print()
    print(
        f"{f'import, fresh process, cached bytecode (x{repeats})':<46}"
        f" {'median':>12}   {'best':>9}"
    )
    for name, values in (("attrs", attrs_ms), ("spasmcare", spasmcare_ms)):
        print(
            f"{'import ' + name:<46} {statistics.median(values):9.1f} ms"
            f"   {min(values):6.1f} ms"
        )
    print(f"{'spasmcare - attrs (median of pairs)':<46} {extra:+9.1f} ms")
    first, library = time_first_json(repeats)
    print(
        f"{'first JSON call (load, report_json), added':<46}"
        f" {statistics.median(first):9.1f} ms   {min(first):6.1f} ms"
    )
    print(
        f"{'its library: json, cattrs JSON converter':<46}"
        f" {statistics.median(library):9.1f} ms   {min(library):6.1f} ms"
    )
    return extra


def _memory_table(large: int) -> bool:
    """
    Print the streaming memory figures; whether the peak stayed flat.
    """
    print()
    print(
        f"{'evaluate_many() over a generator, fresh process':<46}"
        f" {'peak RSS':>12}   {'start RSS':>9}   {'time/case':>9}"
    )
    reports = [stream_memory(n) for n in (10_000, large)]
    for report in reports:
        count = f"{report['count']:,} cases"
        print(
            f"{count:<46} {report['peak_kib'] / 1024:8.1f} MiB"
            f"   {report['start_kib'] / 1024:5.1f} MiB"
            f"   {report['seconds'] / report['count'] * 1e6:6.1f} µs"
        )
    growth: int = reports[1]["peak_kib"] - reports[0]["peak_kib"]
    print(f"{'growth of the peak':<46} {growth / 1024:+8.1f} MiB")
    return growth <= FLAT_KIB


def _batch_table(large: int) -> bool:
    """
    Print evaluate_many() from JSON lines beside the same from dicts, on
    one core (issue 16); whether the peak stayed flat for both.
    """
    print()
    print(
        f"{'evaluate_many(), one core, fresh process':<46}"
        f" {'records/s':>12}   {'peak RSS':>9}   {'growth':>9}"
    )
    flat = True
    for source, label in (("json", "JSON lines"), ("dicts", "Python dicts")):
        small, big = (stream_memory(n, source) for n in (10_000, large))
        growth = big["peak_kib"] - small["peak_kib"]
        flat = flat and growth <= FLAT_KIB
        for report in (small, big):
            name = f"from {label}, {report['count']:,} records"
            print(
                f"{name:<46} {report['count'] / report['seconds']:12,.0f}"
                f"   {report['peak_kib'] / 1024:5.1f} MiB"
                + (f"   {growth / 1024:+5.1f} MiB" if report is big else "")
            )
    return flat


def _peer_table(cases: list[Record], rounds: int) -> list[tuple[str, float]]:
    """
    Print evaluate() beside the same rules in other engines.

    Returns each peer's name and how many times slower than evaluate()
    it is (median over the rounds); empty without the ``bench`` extra.
    """
    print()
    if not peers.available():
        print(
            "rule engines side by side: not installed "
            "(pip install -e '.[bench]')"
        )
        return []
    assessments = [to_assessment(record) for record in cases]
    compiled = [(name, make(DEFAULT_RULES)) for name, make in peers.PEERS]
    for name, peer in compiled:
        for index, (record, assessment) in enumerate(
            zip(cases, assessments, strict=True)
        ):
            escalation = evaluate(assessment)
            expected = (
                escalation.level,
                tuple(f.id for f in escalation.fired),
            )
            if peer(record) != expected:
                sys.exit(
                    f"{name} disagrees with evaluate() on case {index}: "
                    f"{peer(record)} != {expected}"
                )
    benchmarks = [
        Benchmark(EVALUATE, _loop(evaluate, assessments)),
        Benchmark(
            "evaluate() from a plain dict (validated)",
            _loop(lambda r: evaluate(to_assessment(r)), cases),
        ),
        *(Benchmark(name, _loop(peer, cases)) for name, peer in compiled),
    ]
    times = time_rounds(benchmarks, rounds, len(cases))
    base = times[EVALUATE]
    print(
        f"{f'same rules, other engines ({len(cases):,} cases)':<46}"
        f" {'median/case':>12}   times evaluate()"
    )
    slower = []
    for benchmark in benchmarks:
        values = times[benchmark.name]
        ratio = _ratio(values, base)
        print(
            f"{benchmark.name:<46} {_us(statistics.median(values))}"
            f"   {ratio:6.1f}x"
        )
        if benchmark.name in dict(peers.PEERS):
            slower.append((benchmark.name, ratio))
    for name, ratio in slower:
        print(
            f"spasmcare is {ratio:.0f} times faster than {name} on the same rules"
        )
    return slower


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the benchmarks and print the tables.

    Returns 1 when the baseline disagrees with evaluate(), or with
    ``--strict`` when a target is missed; else 0.
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 rounds, 5 imports, 10k vs 100k streamed (a smoke test)",
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the streaming test"
    )
    parser.add_argument(
        "--no-scale",
        action="store_true",
        help="skip the population-scale run (benchmarks/scale.py)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if a target is missed"
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 15)
    large = 100_000 if args.quick else 1_000_000

    cases = records(args.cases)
    _describe(cases, rounds)
    results = _time_table(_benchmarks(cases), rounds, len(cases))
    _peer_table(cases[: 200 if args.quick else 2_000], 3 if args.quick else 5)
    if fhir.available():
        fhir.fhir_table(
            cases[: 10 if args.quick else 200],
            3 if args.quick else 5,
            3 if args.quick else 11,
        )
    extra = _import_table(5 if args.quick else 21)
    ratio = results[EVALUATE][1]
    end_to_end = results[END_TO_END][0] * 1e6
    checks = [
        f"evaluate() ≤ {TARGET_RATIO:g}x baseline: {ratio:.2f}x",
        f"import spasmcare ≤ attrs + {TARGET_IMPORT_MS:g} ms: {extra:+.1f} ms",
        f"end to end < {TARGET_END_TO_END_US:g} µs: {end_to_end:.1f} µs",
    ]
    met = [
        ratio <= TARGET_RATIO,
        extra <= TARGET_IMPORT_MS,
        end_to_end < TARGET_END_TO_END_US,
    ]
    strain_prompts, ces_prompts = prompt_table()
    checks += [
        f"plain strain ≤ {PLAIN_STRAIN_TARGET} prompts: {strain_prompts}",
        f"cauda equina ≤ {CES_TARGET} prompts (tick boxes): {ces_prompts}",
    ]
    met += [
        strain_prompts <= PLAIN_STRAIN_TARGET,
        ces_prompts <= CES_TARGET,
    ]
    if not args.no_memory:
        met.append(_memory_table(large))
        checks.append(f"memory flat from 10,000 to {large:,} cases")
        met.append(_batch_table(large))
        checks.append(
            f"memory flat from 10,000 to {large:,} JSON lines and dicts"
        )
    agreed = True
    if not args.no_scale:
        # --quick: 20,000 rows and no Spark (a JVM costs CI more than the
        # check is worth; the Spark tests have their own .ci/run step).
        engines = (
            [e for e in ENGINES if e != "spark"] if args.quick else ENGINES
        )
        agreed = scale_table(
            list(engines), 20_000 if args.quick else 1_000_000
        )
    print()
    for text, ok in zip(checks, met, strict=True):
        print(f"target {'met' if ok else 'MISSED':>6}: {text}")
    if not agreed:
        return 1
    return 1 if args.strict and not all(met) else 0
