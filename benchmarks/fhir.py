# SPDX-License-Identifier: MIT
"""
The FHIR face beside the plain JSON path (issue 11), and its import time.

Both paths start from text and end with text: a JSON assessment document
to the JSON report, and a QuestionnaireResponse to the guidance Bundle.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
from collections.abc import Sequence

from spasmcare import (
    dump_assessment,
    dump_report,
    evaluate,
    load_assessment,
    plan_care,
)

from .cases import Record, to_assessment

__all__ = ["available", "fhir_table"]

JSON_PATH = "JSON document -> report JSON"
FHIR_PATH = "QuestionnaireResponse JSON -> guidance Bundle"


def available() -> bool:
    """
    Whether the fhir extra is installed.
    """
    return importlib.util.find_spec("fhir.resources") is not None


def _json_path(text: str) -> str:
    assessment = load_assessment(text)
    escalation = evaluate(assessment)
    return json.dumps(
        dump_report(escalation, plan_care(assessment, escalation))
    )


def fhir_table(cases: Sequence[Record], rounds: int, repeats: int) -> float:
    """
    Print µs per case of both paths and the import time of spasmcare.fhir;
    return how many times slower the FHIR path is.
    """
    from spasmcare.fhir import (  # noqa: PLC0415 (an extra)
        assessment_from_response_json,
        guidance_bundle,
        response_from_assessment,
    )

    from .run import Benchmark, _import_ms, _loop, _ratio, _us, time_rounds  # noqa: PLC0415

    def fhir_path(text: str) -> str:
        assessment = assessment_from_response_json(text)
        escalation = evaluate(assessment)
        bundle = guidance_bundle(
            escalation,
            plan_care(assessment, escalation),
            subject="Patient/p1",
            response=json.loads(text),
        )
        return bundle.model_dump_json()

    assessments = [to_assessment(record) for record in cases]
    texts = [json.dumps(dump_assessment(a)) for a in assessments]
    responses = [
        response_from_assessment(a).model_dump_json() for a in assessments
    ]
    benchmarks = [
        Benchmark(JSON_PATH, _loop(_json_path, texts)),
        Benchmark(FHIR_PATH, _loop(fhir_path, responses)),
    ]
    times = time_rounds(benchmarks, rounds, len(cases))
    print()
    print(
        f"{f'FHIR face ({len(cases):,} cases)':<46} {'median/case':>12}   times JSON"
    )
    for benchmark in benchmarks:
        values = times[benchmark.name]
        print(
            f"{benchmark.name:<46} {_us(statistics.median(values))}"
            f"   {_ratio(values, times[JSON_PATH]):6.1f}x"
        )
    env = dict(os.environ)
    _import_ms("spasmcare.fhir", env)
    fhir_ms = [_import_ms("spasmcare.fhir", env) for _ in range(repeats)]
    core_ms = [_import_ms("spasmcare", env) for _ in range(repeats)]
    print(
        f"{'import spasmcare.fhir, fresh process':<46}"
        f" {statistics.median(fhir_ms):9.1f} ms   (spasmcare alone "
        f"{statistics.median(core_ms):.1f} ms)"
    )
    return _ratio(times[FHIR_PATH], times[JSON_PATH])
