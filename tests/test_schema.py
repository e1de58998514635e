# SPDX-License-Identifier: MIT
"""
JSON Schema: generated from the classes, committed, and in agreement with
the loader and the dumps.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given

from spasmcare import (
    QUESTIONS,
    SCHEMA_NAMES,
    Answer,
    AnswerKind,
    Assessment,
    InvalidJSONError,
    InvalidValueError,
    _schema,
    dump_assessment,
    dump_care_plan,
    dump_escalation,
    dump_prompt,
    dump_report,
    evaluate,
    json_schema,
    load_assessment,
    next_question,
    plan_care,
)
from spasmcare.cli import SCHEMA_DIR, schema_text

from .strategies import assessment_documents, assessments

CASES = sorted(
    (Path(__file__).parent.parent / "examples" / "cases").glob("*.json")
)


def validator(name: str) -> jsonschema.Draft202012Validator:
    """
    A validator for the schema *name*, with formats checked.
    """
    return jsonschema.Draft202012Validator(json_schema(name))


VALIDATORS = {name: validator(name) for name in SCHEMA_NAMES}


def assert_valid(name: str, document: Any) -> None:
    """
    Fail with every schema error if *document* does not match *name*.
    """
    errors = [
        f"{e.json_path}: {e.message}"
        for e in VALIDATORS[name].iter_errors(document)
    ]
    assert [] == errors


class TestCommittedSchemas:
    """
    The committed schemas are valid 2020-12 schemas and up to date.
    """

    @pytest.mark.parametrize("name", SCHEMA_NAMES)
    def test_committed_copy_is_up_to_date(self, name: str) -> None:
        """
        src/spasmcare/schemas/NAME.schema.json is what the classes generate
        (regenerate with `python -m spasmcare schema --write`).
        """
        committed = (SCHEMA_DIR / f"{name}.schema.json").read_text(
            encoding="utf-8"
        )

        assert schema_text(name) == committed, (
            "stale schema: run `python -m spasmcare schema --write`"
        )

    @pytest.mark.parametrize("name", SCHEMA_NAMES)
    def test_is_a_valid_2020_12_schema(self, name: str) -> None:
        """
        Each schema passes the 2020-12 meta-schema and names its dialect.
        """
        schema = json_schema(name)

        jsonschema.Draft202012Validator.check_schema(schema)
        assert (
            "https://json-schema.org/draft/2020-12/schema" == schema["$schema"]
        )
        assert f"urn:spasmcare:schema:1:{name}" == schema["$id"]

    def test_no_stray_files(self) -> None:
        """
        Every committed schema file belongs to a known schema.
        """
        assert sorted(f"{n}.schema.json" for n in SCHEMA_NAMES) == sorted(
            p.name for p in SCHEMA_DIR.glob("*.json")
        )

    def test_unknown_name(self) -> None:
        """
        An unknown schema name is an error naming the choices.
        """
        with pytest.raises(InvalidValueError, match="assessment, escalation"):
            json_schema("nope")


class TestInputSchemaSource:
    """
    The input schema's constraints come from the question catalogue.
    """

    def test_numbers_match_the_catalogue(self) -> None:
        """
        Each number's limits are the catalogue's limits.
        """
        properties = json_schema()["properties"]
        for question in QUESTIONS.values():
            if question.kind is AnswerKind.INTEGER:
                prop = properties[question.id]
                assert (question.minimum, question.maximum) == (
                    prop["minimum"],
                    prop["maximum"],
                )
                assert ["integer", "null"] == prop["type"]

    def test_answers_match_the_catalogue(self) -> None:
        """
        The answers object lists every yes/no finding, in catalogue order,
        each taking present, absent or unknown.
        """
        schema = json_schema()
        answers = schema["properties"]["answers"]["properties"]
        yes_no = [
            q.id for q in QUESTIONS.values() if q.kind is AnswerKind.YES_NO
        ]

        assert yes_no == list(answers)
        assert [*(a.value for a in Answer), True, False, None] == schema[
            "$defs"
        ]["AnswerInput"]["enum"]
        assert QUESTIONS["fever"].text == answers["fever"]["description"]

    def test_strict_objects(self) -> None:
        """
        Extra keys are rejected at the top and in the answers.
        """
        schema = json_schema()

        assert schema["additionalProperties"] is False
        assert schema["properties"]["answers"]["additionalProperties"] is False
        assert ["schema_version"] == schema["required"]

    def test_unsupported_type(self) -> None:
        """
        The generator refuses a type it cannot describe.
        """
        with pytest.raises(TypeError, match="no JSON Schema"):
            _schema._Builder().schema(float)

    def test_undocumented_fields_have_no_description(self) -> None:
        """
        A field the docstring does not describe gets no description.
        """

        @attrs.frozen
        class Bare:
            size: int

        assert {"type": "integer"} == _schema._Builder().record(Bare)[
            "properties"
        ]["size"]

    def test_docstrings_become_plain_text(self) -> None:
        """
        reST roles and literals lose their markup in descriptions.
        """
        assert "Answer or Urgency.ROUTINE, x" == _schema._plain(
            ":class:`~spasmcare.Answer` or :attr:`Urgency.ROUTINE`,\n ``x``"
        )


class TestGoldenFixtures:
    """
    The bundled cases and their outputs match the schemas.
    """

    @pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
    def test_case_and_outputs_are_valid(self, path: Path) -> None:
        """
        Each case matches the input schema; its escalation, care plan and
        report match the output schemas.
        """
        document = json.loads(path.read_text(encoding="utf-8"))
        assessment = load_assessment(document)
        escalation = evaluate(assessment)
        plan = plan_care(assessment, escalation)

        assert_valid("assessment", document)
        assert_valid("escalation", dump_escalation(escalation))
        assert_valid("care-plan", dump_care_plan(plan))
        assert_valid("report", dump_report(escalation, plan))

    def test_prompts_are_valid(self) -> None:
        """
        Yes/no and number prompts match the prompt schema.
        """
        first = next_question(Assessment())
        number = next_question(
            Assessment.from_answers(
                dict.fromkeys(
                    (
                        q.id
                        for q in QUESTIONS.values()
                        if q.kind is AnswerKind.YES_NO
                    ),
                    False,
                )
            )
        )
        assert first is not None
        assert number is not None
        assert AnswerKind.INTEGER is number.kind

        assert_valid("prompt", dump_prompt(first))
        assert_valid("prompt", dump_prompt(number))


class TestAgreement:
    """
    The schemas and the code agree on every document.
    """

    @given(assessments())
    def test_dumps_match_the_schemas(self, assessment: Assessment) -> None:
        """
        Every dumped assessment, escalation, care plan and report is valid.
        """
        escalation = evaluate(assessment)
        plan = plan_care(assessment, escalation)

        assert_valid("assessment", dump_assessment(assessment))
        assert_valid("escalation", dump_escalation(escalation))
        assert_valid("care-plan", dump_care_plan(plan))
        assert_valid("report", dump_report(escalation, plan))

    @given(assessment_documents())
    def test_loader_accepts_what_the_schema_accepts(
        self, document: dict[str, Any]
    ) -> None:
        """
        A document loads if and only if it matches the input schema,
        including the rule that an episode is no longer than the
        person's life (one if/then per age in the schema).
        """
        schema_ok = VALIDATORS["assessment"].is_valid(document)
        try:
            load_assessment(document)
        except InvalidJSONError:
            loaded = False
        else:
            loaded = True

        assert schema_ok == loaded
