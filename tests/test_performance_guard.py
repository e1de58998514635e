# SPDX-License-Identifier: MIT
"""
Performance regression guards that time nothing absolute (issue 5).

They check what makes spasmcare fast rather than how fast it is on this
machine: evaluate() does no I/O, keeps nothing per call, allocates a
bounded amount, and stays within a generous ratio of the bare baseline
timed in the same test; importing spasmcare leaves the slow optional
modules alone.
The figures themselves come from ``python -m benchmarks``.
"""

from __future__ import annotations

import builtins
import gc
import io
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from benchmarks.baseline import baseline
from benchmarks.cases import records, to_assessment

import spasmcare
from spasmcare import (
    DEFAULT_RULES,
    Answer,
    Assessment,
    Escalation,
    Symptom,
    evaluate,
    evaluate_many,
    plan_care,
)

CASES = [to_assessment(record) for record in records(300)]


def _forbidden(*_: Any, **__: Any) -> Any:
    raise AssertionError("I/O during evaluation")


@pytest.fixture
def no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    """
    Any attempt to open a file or a socket fails the test.
    """
    for target, name in [
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (socket, "socket"),
        (socket, "create_connection"),
        (subprocess, "Popen"),
    ]:
        monkeypatch.setattr(target, name, _forbidden)


class TestNoIO:
    """
    evaluate() and plan_care() are pure: no files, sockets or processes.
    """

    @pytest.mark.usefixtures("no_io")
    def test_evaluate_and_plan(self) -> None:
        """
        Evaluating and planning, compiling a new rule set included, does
        no I/O.
        """
        rules = DEFAULT_RULES.without("chest_pain", version="no-io")

        for assessment in CASES[:50]:
            plan_care(assessment, evaluate(assessment, rules=rules))

        assert 50 == sum(1 for _ in evaluate_many(CASES[:50]))


def _traced(run: Callable[[], object]) -> tuple[int, int]:
    """
    Bytes still allocated after *run*, and the peak, in bytes.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = run()
        current, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return current - before, peak - before


class TestMemory:
    """
    Each escalation is small, and evaluating keeps nothing behind.
    """

    def test_escalation_size_is_bounded(self) -> None:
        """
        Keeping 300 escalations costs under 2 KiB each (their objects
        only: rules and facts are shared).
        """
        for assessment in CASES:  # warm every cache first
            evaluate(assessment)

        kept, _ = _traced(lambda: [evaluate(a) for a in CASES])

        assert kept / len(CASES) < 2048

    def test_nothing_kept_between_calls(self) -> None:
        """
        Evaluating and dropping cases keeps nothing: 3,000 calls leave
        and peak at what 1,500 do (Python's free lists fill up early).
        """

        def calls(count: int) -> Callable[[], None]:
            def run() -> None:
                for index in range(count):
                    evaluate(CASES[index % len(CASES)])

            return run

        small = _traced(calls(1500))
        large = _traced(calls(3000))

        assert large[0] < small[0] + 1024
        assert large[1] < small[1] + 1024

    def test_batch_streams_in_constant_memory(self) -> None:
        """
        evaluate_many() over a generator keeps nothing either: streaming
        3,000 cases peaks where streaming 1,500 does.
        """

        def stream(count: int) -> Callable[[], None]:
            def run() -> None:
                cases = (CASES[i % len(CASES)] for i in range(count))
                for _ in evaluate_many(cases, every=10):
                    pass

            return run

        small = _traced(stream(1500))
        large = _traced(stream(3000))

        assert large[0] < small[0] + 1024
        assert large[1] < small[1] + 1024


class TestRatio:
    """
    evaluate(), with its full explanation, stays within a generous ratio
    of the bare if-chain, both timed here.
    """

    def test_within_ten_times_the_baseline(self) -> None:
        """
        The best of five rounds of evaluate() over 300 cases takes under
        10 times the best of five rounds of the baseline (the benchmark
        target is 3 times).
        """

        def best(function: Callable[[Assessment], object]) -> float:
            times = []
            for _ in range(5):
                began = time.perf_counter()
                for assessment in CASES:
                    function(assessment)
                times.append(time.perf_counter() - began)
            return min(times)

        best(evaluate)  # warm up

        assert best(evaluate) < 10 * best(baseline)


def _printed(code: str) -> str:
    """
    What *code* prints, run in a fresh interpreter (nothing imported yet).
    """
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


class TestImport:
    """
    import spasmcare leaves the slow optional modules unimported.
    """

    def test_lean_import(self) -> None:
        """
        cattrs (JSON), importlib.metadata (the version) and hashlib (the
        rule-set digest) are imported only when used.
        """
        code = (
            "import sys, spasmcare; "
            "print(sorted({'cattrs', 'importlib.metadata', 'hashlib'} "
            "& set(sys.modules)))"
        )

        assert "[]" == _printed(code)

    def test_lean_first_json_call(self) -> None:
        """
        The first JSON call (a document read, its report written) loads
        the JSON face, never the interview, the batch runner or difflib
        (only a misspelt key needs it): issue 16's "the first JSON call
        adds at most what its library needs".
        """
        code = (
            "import sys, spasmcare\n"
            "a = spasmcare.load_assessment("
            '\'{"schema_version": "1", "answers": {"fever": true}}\')\n'
            "e = spasmcare.evaluate(a)\n"
            "spasmcare.report_json(e, spasmcare.plan_care(a, e))\n"
            "print(sorted({'spasmcare._json', 'spasmcare._interview', "
            "'spasmcare._batch', 'difflib'} & set(sys.modules)))"
        )

        assert "['spasmcare._json']" == _printed(code)

    def test_lazy_names(self) -> None:
        """
        The JSON names and the version are there when asked for.
        """
        from spasmcare import _json, _schema  # noqa: PLC0415

        assert _json.load_assessment is spasmcare.load_assessment
        assert _schema.json_schema is spasmcare.json_schema
        assert isinstance(spasmcare.__version__, str)

    def test_unknown_name(self) -> None:
        """
        Any other missing name is still an AttributeError.
        """
        with pytest.raises(AttributeError, match="no_such_name"):
            _ = spasmcare.no_such_name


class _Finding(str):
    """
    A str subclass, as some parsers return.
    """

    __slots__ = ()


class TestSharedObjects:
    """
    Immutable values that evaluation builds again and again are shared.
    """

    def test_symptoms_are_shared(self) -> None:
        """
        Assessment.from_answers builds each (finding, answer) Symptom once.
        """
        first = Assessment.from_answers({"fever": True, "chest_pain": None})
        second = Assessment.from_answers({"fever": True, "chest_pain": None})

        assert all(
            a is b
            for a, b in zip(first.symptoms, second.symptoms, strict=True)
        )

    def test_str_subclass_kept(self) -> None:
        """
        A finding given as a str subclass is kept as given, not shared.
        """
        finding = _Finding("fever")

        assessment = Assessment.from_answers({finding: Answer.PRESENT})

        assert [Symptom(finding="fever", answer=Answer.PRESENT)] == list(
            assessment.symptoms
        )
        assert assessment.symptoms[0].finding is finding

    def test_escalations_share_their_rules(self) -> None:
        """
        An escalation refers to the rule set's rules, never to copies.
        """
        escalation: Escalation = evaluate(
            Assessment.from_answers({"chest_pain": True})
        )

        assert DEFAULT_RULES["chest_pain"] is escalation.fired[0].rule
