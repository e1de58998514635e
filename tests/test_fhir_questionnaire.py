# SPDX-License-Identifier: MIT
"""
The FHIR face, part one: the Questionnaire, QuestionnaireResponse <->
Assessment, the import guard and the R4B-only rule.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given
from hypothesis import strategies as st

import spasmcare.fhir as sf
import spasmcare.ical as si
from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Answer,
    AnswerKind,
    Assessment,
    InvalidTypeError,
    InvalidValueError,
    SpasmcareError,
    UnknownFindingError,
    evaluate,
)
from spasmcare.fhir import InvalidResourceError

from .strategies import assessments

SOURCES = Path(__file__).parent.parent / "src" / "spasmcare"
CANONICAL = sf.canonical(DEFAULT_RULES)


def _doc(resource: Any) -> dict[str, Any]:
    """
    A resource's JSON, as a dict (what goes on the wire).
    """
    document: dict[str, Any] = json.loads(resource.model_dump_json())
    return document


def _run(code: str) -> str:
    return subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _response(*items: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": CANONICAL,
        **fields,
        "item": list(items),
    }


def _yes_no(link_id: str, code: str = "373066001") -> dict[str, Any]:
    return {
        "linkId": link_id,
        "answer": [
            {"valueCoding": {"system": "http://snomed.info/sct", "code": code}}
        ],
    }


def _integer(link_id: str, value: int) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [{"valueInteger": value}]}


class TestImport:
    """
    The face sits behind its extra, and it uses the R4B models only.
    """

    def test_import_spasmcare_leaves_the_face_out(self) -> None:
        """
        A fresh import spasmcare imports neither the FHIR face nor
        fhir.resources nor pydantic.
        """
        code = (
            "import sys, spasmcare; print(sorted(m for m in sys.modules if "
            "m.split('.')[0] in {'fhir', 'fhir_core', 'pydantic', "
            "'icalendar'} or m.startswith('spasmcare.fhir')))"
        )

        assert "[]" == _run(code)

    def test_without_the_extra_the_error_names_it(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """
        When fhir.resources is not installed, importing spasmcare.fhir
        raises an ImportError that says to install spasmcare[fhir].
        """
        for name in [m for m in sys.modules if m.startswith("spasmcare.fhir")]:
            monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, "fhir.resources.R4B", None)

        with pytest.raises(ImportError, match=r"spasmcare\[fhir\]"):
            importlib.import_module("spasmcare.fhir")

    def test_sources_import_only_r4b_models(self) -> None:
        """
        No module of the face imports fhir.resources' default (R5) models
        or any release but R4B.
        """
        bad: list[str] = []
        for path in sorted((SOURCES / "fhir").rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                bad.extend(
                    f"{path.name}: {name}"
                    for name in names
                    if name.startswith("fhir.resources")
                    and not name.startswith("fhir.resources.R4B")
                )

        assert [] == bad

    def test_no_r5_model_is_loaded(self) -> None:
        """
        After using the face, no fhir.resources module outside R4B is
        loaded.
        """
        code = (
            "import sys, spasmcare, spasmcare.fhir as f; "
            "f.assessment_from_response(f.response_from_assessment("
            "spasmcare.Assessment(pain_score=3))); f.questionnaire(); "
            "print(sorted(m for m in sys.modules if "
            "m.startswith('fhir.resources.') and "
            "not m.startswith('fhir.resources.R4B')))"
        )

        assert "[]" == _run(code)

    def test_dir_lists_the_public_names(self) -> None:
        """
        The face's __all__ is complete and dir() shows it.
        """
        for name in sf.__all__:
            assert hasattr(sf, name)
        assert sorted(sf.__all__) == sorted(dir(sf))

    def test_error_is_a_spasmcare_value_error(self) -> None:
        """
        InvalidResourceError is a SpasmcareError and a ValueError.
        """
        assert issubclass(InvalidResourceError, SpasmcareError)
        assert issubclass(InvalidResourceError, ValueError)


class TestQuestionnaire:
    """
    The Questionnaire is generated from QUESTIONS and the rule set.
    """

    def test_one_item_per_question(self) -> None:
        """
        Each question is one top-level item, its linkId the question id,
        its text the patient wording, its first code the clinician label.
        """
        form = _doc(sf.questionnaire())

        assert sorted(QUESTIONS) == sorted(i["linkId"] for i in form["item"])
        for item in form["item"]:
            question = QUESTIONS[item["linkId"]]
            assert question.text == item["text"]
            assert {
                "system": sf.QUESTION_SYSTEM,
                "code": question.id,
                "display": question.label,
            } == item["code"][0]
            assert item["required"] is False
            assert "item" not in item

    def test_yes_no_items_are_bound_to_the_value_set(self) -> None:
        """
        Yes/no questions are choice items whose answerValueSet is the
        contained ValueSet of SNOMED CT Yes, No and Unknown.
        """
        form = _doc(sf.questionnaire())
        (value_set,) = form["contained"]
        concepts = {
            (include["system"], c["code"])
            for include in value_set["compose"]["include"]
            for c in include["concept"]
        }

        assert {
            ("http://snomed.info/sct", "373066001"),
            ("http://snomed.info/sct", "373067005"),
            ("http://snomed.info/sct", "261665006"),
        } == concepts
        for item in form["item"]:
            if QUESTIONS[item["linkId"]].kind is AnswerKind.YES_NO:
                assert "choice" == item["type"]
                assert f"#{value_set['id']}" == item["answerValueSet"]

    def test_integer_items_carry_limits_and_unit(self) -> None:
        """
        Integer items carry the SDC minValue/maxValue of the question and
        a UCUM unit.
        """
        form = _doc(sf.questionnaire())
        integers = [
            i
            for i in form["item"]
            if QUESTIONS[i["linkId"]].kind is AnswerKind.INTEGER
        ]

        assert 4 == len(integers)
        for item in integers:
            question = QUESTIONS[item["linkId"]]
            by_url = {e["url"].rsplit("/", 1)[1]: e for e in item["extension"]}
            assert "integer" == item["type"]
            assert question.minimum == by_url["minValue"]["valueInteger"]
            assert question.maximum == by_url["maxValue"]["valueInteger"]
            unit = by_url["questionnaire-unit"]["valueCoding"]
            assert "http://unitsofmeasure.org" == unit["system"]
            assert sf.NUMBER_CODES[item["linkId"]][0].code == unit["code"]

    def test_pain_item_carries_its_loinc_code(self) -> None:
        """
        The pain item is coded LOINC 72514-3, as a record system codes it.
        """
        form = _doc(sf.questionnaire())
        (pain,) = [i for i in form["item"] if i["linkId"] == "pain_score"]

        assert ("http://loinc.org", "72514-3") in {
            (c["system"], c["code"]) for c in pain["code"]
        }

    def test_red_flags_first_most_urgent_first(self) -> None:
        """
        The red-flag items come first, in order of non-increasing urgency.
        """
        flags = DEFAULT_RULES.red_flags
        ids = [i["linkId"] for i in _doc(sf.questionnaire())["item"]]
        head = ids[: len(flags)]

        assert set(flags) == set(head)
        ranks = [flags[q].rank for q in head]
        assert sorted(ranks, reverse=True) == ranks

    def test_url_and_version_follow_the_rule_set(self) -> None:
        """
        url and version are the rule set's; another version changes them.
        """
        local = DEFAULT_RULES.without("frequent_recurrence", version="9-local")
        form = sf.questionnaire(local)

        assert "9-local" == form.version
        assert f"{form.url}|{form.version}" == sf.canonical(local)
        assert sf.canonical(local) != CANONICAL

    def test_adaptive_extension_only_when_a_server_runs(self) -> None:
        """
        The SDC questionnaireAdaptive extension names the $next-question
        server when one is given, and is absent otherwise.
        """
        server = "https://triage.example.org/fhir"

        assert "extension" not in _doc(sf.questionnaire())
        (extension,) = _doc(sf.questionnaire(next_question_url=server))[
            "extension"
        ]
        assert {
            "url": sf.ADAPTIVE_EXTENSION,
            "valueUrl": server,
        } == extension

    def test_json_round_trips_through_the_model(self) -> None:
        """
        The JSON text validates with the R4B model and reads back equal.
        """
        form = sf.questionnaire()

        assert form == Questionnaire.model_validate_json(
            form.model_dump_json()
        )

    def test_deterministic(self) -> None:
        """
        The same rules give the same JSON (it is committed and compared).
        """
        assert sf.questionnaire().model_dump_json() == (
            sf.questionnaire().model_dump_json()
        )

    @pytest.mark.parametrize(
        "kwargs",
        [{"rules": "spasmcare-default"}, {"next_question_url": 3}],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any]) -> None:
        """
        A rule set that is not a RuleSet, or a URL that is not text, is an
        InvalidTypeError.
        """
        with pytest.raises(InvalidTypeError):
            sf.questionnaire(**kwargs)


class TestRoundTrip:
    """
    Assessment -> QuestionnaireResponse -> Assessment is lossless.
    """

    @given(assessments(), st.data())
    def test_round_trip(
        self, assessment: Assessment, data: st.DataObject
    ) -> None:
        """
        Any assessment comes back equal, unknown answers included, from the
        model, its JSON text and its dict; the response is completed exactly
        when screening is complete; and removing an item makes that answer
        unknown, never "no". (One test, as making and reading the JSON is
        most of the time.)
        """
        qr = sf.response_from_assessment(assessment)
        text = qr.model_dump_json()
        complete = evaluate(assessment).screening_complete

        assert assessment == sf.assessment_from_response(qr)
        assert assessment == sf.assessment_from_response_json(text)
        assert ("completed" if complete else "in-progress") == qr.status

        document = json.loads(text)
        items = document.get("item", [])
        if not items:
            assert assessment == sf.assessment_from_response(document)
            return
        dropped = items.pop(data.draw(st.integers(0, len(items) - 1)))
        link_id = dropped["linkId"]
        read = sf.assessment_from_response(document)
        if QUESTIONS[link_id].kind is AnswerKind.YES_NO:
            assert Answer.UNKNOWN is read.answer(link_id)
        else:
            assert read.number(link_id) is None

    def test_explicit_unknown_is_coded_unknown(self) -> None:
        """
        "Don't know" is the SNOMED CT Unknown coding, and a finding never
        asked has no item.
        """
        qr = _doc(
            sf.response_from_assessment(
                Assessment.from_answers({"fever": None})
            )
        )
        (item,) = qr["item"]

        assert "fever" == item["linkId"]
        assert "261665006" == item["answer"][0]["valueCoding"]["code"]

    def test_item_without_answer_is_unknown(self) -> None:
        """
        An item shown but not answered is unknown.
        """
        read = sf.assessment_from_response(_response({"linkId": "fever"}))

        assert Answer.UNKNOWN is read.answer("fever")

    def test_subject_and_authored(self) -> None:
        """
        The subject reference and the authored time are written when given.
        """
        when = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
        qr = _doc(
            sf.response_from_assessment(
                Assessment(), subject="Patient/p1", authored=when
            )
        )

        assert {"reference": "Patient/p1"} == qr["subject"]
        assert when == dt.datetime.fromisoformat(qr["authored"])

    def test_adaptive_response_with_contained_form(self) -> None:
        """
        An SDC adaptive response, whose questionnaire is #id of a contained
        Questionnaire derived from ours, is read.
        """
        contained = {
            "resourceType": "Questionnaire",
            "id": "q",
            "status": "active",
            "derivedFrom": [CANONICAL],
        }
        document = _response(
            _yes_no("fever", "373067005"),
            questionnaire="#q",
            contained=[contained],
        )

        assert Answer.ABSENT is sf.assessment_from_response(document).answer(
            "fever"
        )


class TestStrictInput:
    """
    Bad responses raise the library's own errors, naming where.
    """

    def test_unknown_link_id(self) -> None:
        """
        A linkId that is not a question is an UnknownFindingError naming it.
        """
        with pytest.raises(UnknownFindingError) as info:
            sf.assessment_from_response(_response(_yes_no("fevr")))

        assert "QuestionnaireResponse.item[0].linkId" == info.value.field
        assert "fevr" == info.value.value

    @pytest.mark.parametrize(
        ("item", "given"),
        [
            (
                {"linkId": "fever", "answer": [{"valueBoolean": True}]},
                "valueBoolean",
            ),
            (
                {"linkId": "pain_score", "answer": [{"valueDecimal": 3.5}]},
                "valueDecimal",
            ),
            (
                {"linkId": "age_years", "answer": [{"valueString": "40"}]},
                "valueString",
            ),
        ],
    )
    def test_wrong_answer_type(self, item: dict[str, Any], given: str) -> None:
        """
        A value of the wrong type is an InvalidTypeError naming the linkId
        and the type given.
        """
        with pytest.raises(InvalidTypeError) as info:
            sf.assessment_from_response(_response(item))

        assert repr(item["linkId"]) in info.value.field
        assert given == info.value.value

    def test_wrong_coding(self) -> None:
        """
        A coding that is not Yes, No or Unknown is an InvalidValueError.
        """
        item = {
            "linkId": "fever",
            "answer": [
                {
                    "valueCoding": {
                        "system": "http://loinc.org",
                        "code": "LA33-6",
                    }
                }
            ],
        }

        with pytest.raises(InvalidValueError, match="'fever'") as info:
            sf.assessment_from_response(_response(item))

        assert "http://loinc.org|LA33-6" == info.value.value

    @pytest.mark.parametrize(
        ("link_id", "value"),
        [
            ("pain_score", 11),
            ("pain_score", -1),
            ("age_years", -1),
            ("age_years", 121),
        ],
    )
    def test_out_of_range(self, link_id: str, value: int) -> None:
        """
        A number outside the question's range is an InvalidValueError
        naming the linkId.
        """
        with pytest.raises(InvalidValueError) as info:
            sf.assessment_from_response(_response(_integer(link_id, value)))

        assert repr(link_id) in info.value.field
        assert value == info.value.value

    @pytest.mark.parametrize(
        "questionnaire",
        [
            "https://example.org/Questionnaire/other|0.2.0",
            sf.canonical(DEFAULT_RULES).replace("|", "|9"),
            sf.canonical(DEFAULT_RULES).split("|")[0],
            None,
        ],
    )
    def test_another_questionnaire_or_version(
        self, questionnaire: str | None
    ) -> None:
        """
        A response to another Questionnaire, another version, or none
        named is refused.
        """
        document = _response(_yes_no("fever"), questionnaire=questionnaire)
        if questionnaire is None:
            del document["questionnaire"]

        with pytest.raises(InvalidResourceError) as info:
            sf.assessment_from_response(document)

        assert "QuestionnaireResponse.questionnaire" == info.value.field

    def test_contained_form_must_exist(self) -> None:
        """
        #id that names no contained Questionnaire is refused.
        """
        with pytest.raises(InvalidResourceError, match="no contained"):
            sf.assessment_from_response(
                _response(_yes_no("fever"), questionnaire="#q")
            )

    def test_contained_form_must_derive_from_ours(self) -> None:
        """
        A contained Questionnaire derived from another form is refused.
        """
        contained = {
            "resourceType": "Questionnaire",
            "id": "q",
            "status": "active",
            "derivedFrom": ["https://example.org/Questionnaire/x|1"],
        }

        with pytest.raises(InvalidResourceError, match="derive"):
            sf.assessment_from_response(
                _response(questionnaire="#q", contained=[contained])
            )

    def test_duplicated_link_id(self) -> None:
        """
        A linkId answered twice is refused, naming both places.
        """
        document = _response(_yes_no("fever"), _yes_no("fever", "373067005"))

        with pytest.raises(InvalidResourceError, match=r"item\[0\]") as info:
            sf.assessment_from_response(document)

        assert (
            "QuestionnaireResponse.item[1] (linkId 'fever')"
            == info.value.field
        )

    @pytest.mark.parametrize(
        ("status", "reason"),
        [("entered-in-error", "entered in error"), ("bogus", "one of")],
    )
    def test_status(self, status: str, reason: str) -> None:
        """
        A response entered in error, or with a status R4 lacks, is refused.
        """
        with pytest.raises(InvalidResourceError, match=reason) as info:
            sf.assessment_from_response(_response(status=status))

        assert "QuestionnaireResponse.status" == info.value.field

    def test_nested_group(self) -> None:
        """
        Items nested in an item: a group the Questionnaire lacks.
        """
        item = {"linkId": "fever", "item": [_yes_no("chest_pain")]}

        with pytest.raises(InvalidResourceError, match="nested group"):
            sf.assessment_from_response(_response(item))

    def test_nested_answer_item(self) -> None:
        """
        Items nested under an answer are refused too.
        """
        item = _yes_no("fever")
        item["answer"][0]["item"] = [_yes_no("chest_pain")]

        with pytest.raises(InvalidResourceError, match="nested item"):
            sf.assessment_from_response(_response(item))

    def test_two_answers(self) -> None:
        """
        No item repeats: two answers are refused.
        """
        item = _yes_no("fever")
        item["answer"] *= 2

        with pytest.raises(InvalidResourceError, match="one answer"):
            sf.assessment_from_response(_response(item))

    def test_duration_longer_than_life(self) -> None:
        """
        The Assessment's own checks still apply.
        """
        document = _response(
            _integer("age_years", 20), _integer("duration_days", 36_000)
        )

        with pytest.raises(InvalidValueError, match="duration_days"):
            sf.assessment_from_response(document)

    @pytest.mark.parametrize(
        ("document", "match"),
        [
            ({"status": "completed"}, "not a FHIR resource"),
            ({"resourceType": "Patient"}, "expected a QuestionnaireResponse"),
            (
                {
                    "resourceType": "QuestionnaireResponse",
                    "status": "completed",
                    "statuss": 1,
                },
                r"QuestionnaireResponse\.statuss",
            ),
        ],
    )
    def test_not_a_response(
        self, document: dict[str, Any], match: str
    ) -> None:
        """
        A non-FHIR dict, another resource type, or a dict the R4B model
        rejects is an InvalidResourceError saying where.
        """
        with pytest.raises(InvalidResourceError, match=match):
            sf.assessment_from_response(document)

    def test_another_resource_model(self) -> None:
        """
        Another resource's model is refused by its type.
        """
        with pytest.raises(InvalidResourceError) as info:
            sf.assessment_from_response(Patient())  # type: ignore[arg-type]

        assert "Patient" == info.value.value

    @pytest.mark.parametrize("value", [[], "text", 3])
    def test_not_a_mapping(self, value: object) -> None:
        """
        Something that is neither a model nor a mapping is an
        InvalidTypeError.
        """
        with pytest.raises(InvalidTypeError):
            sf.assessment_from_response(value)  # type: ignore[arg-type]

    @pytest.mark.parametrize("text", ["{", b"\xff", 3])
    def test_bad_json_text(self, text: object) -> None:
        """
        Text that is not JSON is an InvalidResourceError; something that is
        not text, an InvalidTypeError.
        """
        with pytest.raises((InvalidResourceError, InvalidTypeError)):
            sf.assessment_from_response_json(text)  # type: ignore[arg-type]

    def test_rules_must_be_a_rule_set(self) -> None:
        """
        The rules argument is checked.
        """
        with pytest.raises(InvalidTypeError):
            sf.assessment_from_response(_response(), rules="x")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"subject": "patient 1"},
            {"subject": 3},
            {"authored": dt.datetime(2026, 3, 2, 9, 30)},  # noqa: DTZ001
            {"authored": "2026-03-02"},
        ],
    )
    def test_bad_output_arguments(self, kwargs: dict[str, Any]) -> None:
        """
        A subject that is not a reference, or a naive time, is refused.
        """
        with pytest.raises(SpasmcareError):
            sf.response_from_assessment(Assessment(), **kwargs)

    def test_assessment_must_be_an_assessment(self) -> None:
        """
        response_from_assessment checks its argument.
        """
        with pytest.raises(InvalidTypeError):
            sf.response_from_assessment({})  # type: ignore[arg-type]

    def test_model_input(self) -> None:
        """
        A QuestionnaireResponse model is read as its dict is.
        """
        model = QuestionnaireResponse.model_validate(
            _response(_yes_no("fever"))
        )

        assert Answer.PRESENT is sf.assessment_from_response(model).answer(
            "fever"
        )


class TestReference:
    """
    docs/fhir.rst documents every public name of the faces.
    """

    def test_every_public_name_is_documented(self) -> None:
        """
        Each name in the __all__ of spasmcare.fhir and spasmcare.ical has
        an entry in docs/fhir.rst.
        """
        text = (SOURCES.parent.parent / "docs" / "fhir.rst").read_text("utf-8")
        documented = set(re.findall(r"^\.\. \w+:: (\w+)", text, re.MULTILINE))

        assert [] == [n for n in sf.__all__ if n not in documented]
        assert [] == [n for n in si.__all__ if n not in documented]
