# SPDX-License-Identifier: MIT
"""
The one wire format (issue 10): JSON booleans as answers, a correlation
id from input to every output, a report that stands alone in an audit,
batch results with position and id, and checks that things that belong
together do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pydoc
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import spasmcare
from spasmcare import (
    DEFAULT_RULES,
    Answer,
    Assessment,
    BatchResult,
    InvalidJSONError,
    InvalidTypeError,
    InvalidValueError,
    MismatchError,
    Urgency,
    cli,
    dump_assessment,
    dump_batch_result,
    dump_escalation,
    dump_report,
    evaluate,
    evaluate_batch,
    evaluate_many,
    json_schema,
    load_assessment,
    plan_care,
)
from spasmcare._json import load_assessment_checked

from .strategies import IDS, assessments

AT = dt.datetime(2026, 3, 2, 9, 25, tzinfo=dt.UTC)
DOCS = Path(__file__).parent.parent / "docs"


def doc(**fields: Any) -> dict[str, Any]:
    """
    An assessment document with *fields*.
    """
    return {"schema_version": "1", **fields}


def schema_errors(name: str, document: Any) -> list[str]:
    """
    Every error of *document* against the schema *name*.
    """
    validator = jsonschema.Draft202012Validator(json_schema(name))
    return [e.message for e in validator.iter_errors(document)]


class TestBooleanAnswers:
    """
    true, false and null are the same tri-state as the three strings.
    """

    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            (True, Answer.PRESENT),
            (False, Answer.ABSENT),
            (None, Answer.UNKNOWN),
            ("present", Answer.PRESENT),
            ("absent", Answer.ABSENT),
            ("unknown", Answer.UNKNOWN),
        ],
    )
    def test_each_form_loads_and_validates(
        self, given: object, expected: Answer
    ) -> None:
        """
        Each answer form loads to its Answer, and the schema accepts it.
        """
        document = doc(answers={"fever": given})

        assert expected == load_assessment(document).answer("fever")
        assert [] == schema_errors("assessment", document)

    @pytest.mark.parametrize("given", [1, 0, 1.0, "true", "yes", [], {}])
    def test_numbers_and_other_strings_are_not_answers(
        self, given: object
    ) -> None:
        """
        1 and 0 are not booleans (even though True == 1 in Python), and
        "true" is not true: both the loader and the schema refuse them.
        """
        document = doc(answers={"fever": given})

        with pytest.raises(InvalidJSONError, match=r"\$\.answers\.fever"):
            load_assessment(document)
        assert [] != schema_errors("assessment", document)

    def test_null_is_unknown_never_no(self) -> None:
        """
        An answer of null keeps the question unanswered: no self-care.
        """
        assessment = load_assessment(
            json.dumps(doc(answers={"saddle_numbness": None}))
        )
        escalation = evaluate(assessment)

        assert Answer.UNKNOWN == assessment.answer("saddle_numbness")
        assert "saddle_numbness" in escalation.unanswered
        assert Urgency.SELF_CARE != escalation.level

    @given(assessments())
    def test_booleans_load_as_the_strings_do(
        self, assessment: Assessment
    ) -> None:
        """
        A dump with its answers rewritten as booleans loads to the same
        assessment; the dump itself always writes the strings.
        """
        document = dump_assessment(assessment)
        as_booleans = {
            **document,
            "answers": {
                key: {"present": True, "absent": False, "unknown": None}[v]
                for key, v in document["answers"].items()
            },
        }

        assert assessment == load_assessment(as_booleans)
        assert set(document["answers"].values()) <= {
            "present",
            "absent",
            "unknown",
        }


class TestCorrelationId:
    """
    An optional, opaque id travels from the input to every output.
    """

    @given(IDS)
    def test_any_valid_id_round_trips_and_reaches_every_output(
        self, given: str | int
    ) -> None:
        """
        The id survives dump and load, and comes back in the escalation,
        its dump, the report and a batch result.
        """
        assessment = Assessment.from_answers({"fever": True}, id=given)
        escalation = evaluate(assessment)
        plan = plan_care(assessment, escalation)

        loaded = load_assessment(json.dumps(dump_assessment(assessment)))
        (result,) = evaluate_batch([dump_assessment(assessment)])

        assert assessment == loaded
        assert given == loaded.id
        assert given == escalation.id
        assert given == dump_escalation(escalation)["id"]
        report = dump_report(escalation, plan, created_at=AT)
        assert given == report["id"]
        assert given == report["assessment"]["id"]
        assert given == result.id
        assert given == dump_batch_result(result)["escalation"]["id"]

    def test_an_id_is_never_read(self) -> None:
        """
        Two assessments that differ only in their id get the same level,
        rules and questions.
        """
        a = Assessment.from_answers({"fever": True}, id="one")
        b = Assessment.from_answers({"fever": True}, id=2)

        ea, eb = evaluate(a), evaluate(b)

        assert (ea.level, ea.fired, ea.pending, ea.unanswered) == (
            eb.level,
            eb.fired,
            eb.pending,
            eb.unanswered,
        )

    def test_no_id_is_left_out_of_the_assessment_dump(self) -> None:
        """
        Without an id the assessment document has no "id" key; with one
        it comes right after schema_version.
        """
        assert "id" not in dump_assessment(Assessment())
        assert ["schema_version", "id", "answers"] == list(
            dump_assessment(Assessment(id="x"))
        )[:3]

    @pytest.mark.parametrize(
        ("given", "error", "match"),
        [
            ("", InvalidValueError, "1 to 256 characters"),
            ("  ", InvalidValueError, "not all blank"),
            ("x" * 257, InvalidValueError, "1 to 256 characters"),
            (2**63, InvalidValueError, "64 bits"),
            (-(2**63) - 1, InvalidValueError, "64 bits"),
            (True, InvalidTypeError, "a string, an integer or None"),
            (1.5, InvalidTypeError, "a string, an integer or None"),
            (["x"], InvalidTypeError, "a string, an integer or None"),
        ],
    )
    def test_bad_ids_are_refused_everywhere(
        self, given: object, error: type[Exception], match: str
    ) -> None:
        """
        The model, the loader and the schema refuse the same ids,
        naming the field.
        """
        with pytest.raises(error, match=match):
            Assessment(id=given)  # type: ignore[arg-type]
        with pytest.raises(InvalidJSONError, match=r"\$\.id: "):
            load_assessment(doc(id=given))
        assert [] != schema_errors("assessment", doc(id=given))

    def test_the_edges_of_the_id_range_are_allowed(self) -> None:
        """
        A 256-character id and the 64-bit limits are accepted.
        """
        for edge in ("x" * 256, 2**63 - 1, -(2**63), 0, " a "):
            assert edge == load_assessment(doc(id=edge)).id
            assert [] == schema_errors("assessment", doc(id=edge))

    @pytest.mark.parametrize(
        "given", [5.0, -3.0, 0.0, -0.0, float(2**53), 9.2e18, -(2.0**63)]
    )
    def test_a_whole_number_float_id_is_that_integer(
        self, given: float
    ) -> None:
        """
        JSON Schema (and a JavaScript client) cannot tell 5.0 from 5: the
        schema counts a whole-number float id as an integer, so the
        loader reads it as that integer, by either path, and a batch
        reports it as the integer too, for a bad record as well.
        """
        text = json.dumps(doc(id=given))

        fast = load_assessment(text)
        strict = load_assessment_checked(text)
        good, bad = evaluate_batch(
            [text, json.dumps(doc(id=given, age_years=300))]
        )

        assert int(given) == fast.id == strict.id
        assert int is type(fast.id) is type(strict.id)
        assert [] == schema_errors("assessment", doc(id=given))
        assert int(given) == good.id == bad.id
        assert bad.error is not None

    @pytest.mark.parametrize(
        ("given", "shown", "reason"),
        [
            (5.5, "5.5", "expected a string, an integer or null"),
            (-0.25, "-0.25", "expected a string, an integer or null"),
            (
                2.0**63,
                "9.223372036854776e+18",
                "an integer id must fit in 64 bits",
            ),
            (1e300, "1e+300", "an integer id must fit in 64 bits"),
        ],
    )
    def test_other_float_ids_are_refused_naming_id_and_value(
        self, given: float, shown: str, reason: str
    ) -> None:
        """
        A fraction, or a whole float beyond 64 bits, is refused by both
        paths with the usual problem: the id's path, why, and the value
        as written. The schema refuses it too.
        """
        expected = ((("$.id", f"{reason}; got {shown}"),),)
        for load in (load_assessment, load_assessment_checked):
            with pytest.raises(InvalidJSONError) as caught:
                load(json.dumps(doc(id=given)))
            assert expected == (caught.value.problems,)
        assert [] != schema_errors("assessment", doc(id=given))
        (result,) = evaluate_batch([doc(id=given)])
        assert result.id is None

    def test_the_python_model_stays_strict(self) -> None:
        """
        Only the JSON face reads 5.0 as 5: Python callers pass an int.
        """
        with pytest.raises(
            InvalidTypeError, match="a string, an integer or None"
        ):
            Assessment(id=5.0)  # type: ignore[arg-type]


class TestAuditReport:
    """
    A report stands alone in an audit: time, version, input copy and hash.
    """

    def make(self, **answers: bool | None) -> tuple[Assessment, Any, Any]:
        """
        An assessment with *answers*, its escalation and its care plan.
        """
        assessment = Assessment.from_answers(answers, age_years=40, id=7)
        escalation = evaluate(assessment)
        return assessment, escalation, plan_care(assessment, escalation)

    def test_audit_fields(self) -> None:
        """
        The report carries the time given, the package version and the
        SHA-256 of the canonical input copy, and matches its schema.
        """
        assessment, escalation, plan = self.make(fever=True)

        report = dump_report(escalation, plan, created_at=AT)

        canonical = json.dumps(
            dump_assessment(assessment),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        assert {
            "created_at": "2026-03-02T09:25:00.000Z",
            "spasmcare_version": spasmcare.__version__,
            "input_sha256": hashlib.sha256(canonical.encode()).hexdigest(),
        } == report["audit"]
        assert dump_assessment(assessment) == report["assessment"]
        assert [] == schema_errors("report", report)

    def test_the_input_copy_replays_to_the_same_escalation(self) -> None:
        """
        Loading the report's copy of the input and evaluating it again
        gives the escalation the report holds.
        """
        _, escalation, plan = self.make(saddle_numbness=True)
        report = json.loads(
            json.dumps(dump_report(escalation, plan, created_at=AT))
        )

        again = evaluate(load_assessment(report["assessment"]))

        assert escalation == again
        assert report["escalation"] == dump_escalation(again)

    def test_other_time_zones_are_written_in_utc(self) -> None:
        """
        A time in another zone is written as the same moment in UTC.
        """
        _, escalation, plan = self.make()
        zone = dt.timezone(dt.timedelta(hours=2))
        moment = dt.datetime(2026, 3, 2, 11, 25, 0, 5000, tzinfo=zone)

        report = dump_report(escalation, plan, created_at=moment)

        assert "2026-03-02T09:25:00.005Z" == report["audit"]["created_at"]

    def test_without_a_time_the_clock_is_read_once_at_the_face(self) -> None:
        """
        With no time given, dump_report reads the clock (the evaluator
        never does): the time lies between two readings around the call.
        """
        _, escalation, plan = self.make()
        before = dt.datetime.now(dt.UTC)

        report = dump_report(escalation, plan)

        after = dt.datetime.now(dt.UTC)
        written = dt.datetime.fromisoformat(report["audit"]["created_at"])
        assert before - dt.timedelta(milliseconds=1) <= written
        assert written <= after

    def test_a_naive_or_wrong_time_is_refused(self) -> None:
        """
        A time without a zone, or not a datetime, is refused by name.
        """
        _, escalation, plan = self.make()

        with pytest.raises(InvalidValueError, match=r"created_at=.*time zone"):
            dump_report(
                escalation,
                plan,
                created_at=dt.datetime(2026, 1, 1),  # noqa: DTZ001
            )
        with pytest.raises(InvalidTypeError, match="created_at='today'"):
            dump_report(escalation, plan, created_at="today")  # type: ignore[arg-type]

    def test_a_care_plan_from_another_escalation_is_refused(self) -> None:
        """
        A report never pairs an escalation with another one's plan.
        """
        _, escalation, _ = self.make(chest_pain=True)
        _, _, other_plan = self.make(chest_pain=False)

        with pytest.raises(MismatchError, match=r"care_plan=.*another"):
            dump_report(escalation, other_plan, created_at=AT)

    def test_the_cli_report_has_the_audit_fields(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """
        `spasmcare assess --format json` prints a report whose id and
        input copy are the file's, with a time read at the face.
        """
        path = tmp_path / "case.json"
        document = doc(id="from-cli", answers={"chest_pain": True})
        path.write_text(json.dumps(document), encoding="utf-8")

        status = cli.main(["assess", str(path), "--format", "json"])

        report = json.loads(capsys.readouterr().out)
        assert 0 == status
        assert "from-cli" == report["id"]
        assert load_assessment(document) == load_assessment(
            report["assessment"]
        )
        assert report["audit"]["created_at"].endswith("Z")
        assert [] == schema_errors("report", report)


class TestMismatch:
    """
    plan_care refuses an escalation computed from another assessment.
    """

    def test_another_assessments_escalation_is_refused(self) -> None:
        """
        The escalation of a person without numbness gives a plan without
        the numbness caution: refused for a person with numbness.
        """
        numb = Assessment.from_answers({"leg_pain_numbness": True})
        other = Assessment.from_answers({"leg_pain_numbness": False}, id="o")

        with pytest.raises(MismatchError) as caught:
            plan_care(numb, evaluate(other))

        assert isinstance(caught.value, InvalidValueError)
        assert "escalation" == caught.value.field
        # Word for word: what to do is part of the message.
        assert (
            "escalation='o': was computed from another assessment; pass the "
            "escalation that evaluate() gave for this one"
        ) == str(caught.value)

    def test_same_id_other_answers_is_refused_too(self) -> None:
        """
        An id alone does not make two assessments the same.
        """
        a = Assessment.from_answers({"fever": True}, id="x")
        b = Assessment.from_answers({"fever": False}, id="x")

        with pytest.raises(MismatchError, match="escalation='x'"):
            plan_care(a, evaluate(b))

    def test_an_equal_assessment_is_accepted(self) -> None:
        """
        An equal assessment (answers in another order, or loaded again)
        is the same input.
        """
        a = Assessment.from_answers({"fever": True, "chest_pain": False})
        b = Assessment.from_answers({"chest_pain": False, "fever": True})

        plan = plan_care(b, evaluate(a))

        assert plan.level == evaluate(b).level


class TestBatch:
    """
    evaluate_batch: position and id on every result, and bad records
    reported without ending the batch.
    """

    def test_a_bad_record_never_ends_the_batch(self) -> None:
        """
        Bad JSON, a bad value, a wrong type and a non-object in the middle
        are each reported at their position; the ambulance case after
        them is still evaluated.
        """
        records: list[Any] = [
            Assessment(id="first"),
            "{not json",
            doc(id="bad", pain_score=11),
            42,
            b"[]",
            object(),
            json.dumps(doc(id="last", answers={"chest_pain": True})),
        ]

        results = list(evaluate_batch(records))

        assert list(range(7)) == [r.index for r in results]
        assert [True, False, False, False, False, False, True] == [
            r.ok for r in results
        ]
        assert ["first", None, "bad", None, None, None, "last"] == [
            r.id for r in results
        ]
        last = results[-1].escalation
        assert last is not None
        assert Urgency.AMBULANCE == last.level
        assert isinstance(results[2].error, InvalidJSONError)
        assert isinstance(results[3].error, InvalidJSONError)
        assert isinstance(results[5].error, InvalidTypeError)
        assert "records[5]" == results[5].error.field

    def test_a_bad_records_own_valid_id_is_reported(self) -> None:
        """
        A record with a valid id but a bad value reports its id; one with
        a bad id reports none.
        """
        records = [
            json.dumps(doc(id=5, age_years=300)),
            doc(id=[1], pain_score=3),
        ]

        first, second = evaluate_batch(records)

        assert (5, None) == (first.id, second.id)

    def test_results_dump_to_the_batch_result_schema(self) -> None:
        """
        Good and bad results both match the batch-result schema.
        """
        records = [doc(id="a"), doc(id="b", colour=1), 7, Assessment()]

        dumps = [dump_batch_result(r) for r in evaluate_batch(records)]

        assert [[], [], [], []] == [
            schema_errors("batch-result", d) for d in dumps
        ]
        assert "InvalidJSONError" == dumps[1]["error"]["type"]
        assert [
            {
                "path": "$.colour",
                "message": dumps[1]["error"]["problems"][0]["message"],
            }
        ] == dumps[1]["error"]["problems"]
        assert "InvalidJSONError" == dumps[2]["error"]["type"]
        assert None is dumps[3]["id"]

    def test_a_type_error_dumps_with_its_field(self) -> None:
        """
        An error that is not about a document dumps as one problem at its
        field.
        """
        (result,) = evaluate_batch([3.5j])

        out = dump_batch_result(result)

        assert "InvalidTypeError" == out["error"]["type"]
        assert "records[0]" == out["error"]["problems"][0]["path"]

    def test_the_same_escalations_as_evaluate_many(self) -> None:
        """
        For good records, the escalations are evaluate_many's.
        """
        intake = [
            Assessment.from_answers({"chest_pain": v}) for v in (True, None)
        ]

        batch = [r.escalation for r in evaluate_batch(intake)]

        assert list(evaluate_many(intake)) == batch

    def test_progress_counts_bad_records_too(self) -> None:
        """
        Progress is reported every *every* records, good or bad, and once
        at the end.
        """
        counts: list[int] = []

        list(evaluate_batch(["x", "y", "z"], progress=counts.append, every=2))

        assert [2, 3] == counts

    def test_no_trailing_progress_when_just_reported(self) -> None:
        """
        When the last count was just reported it is not repeated; without
        a progress callback nothing is called.
        """
        counts: list[int] = []

        list(evaluate_batch(["x", "y"], progress=counts.append, every=2))
        list(evaluate_batch(["x", "y"], every=2))

        assert [2] == counts

    def test_bad_options_are_refused_before_anything_is_read(self) -> None:
        """
        The arguments are checked when evaluate_batch is called.
        """
        with pytest.raises(InvalidTypeError, match="records=3"):
            evaluate_batch(3)  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="rules"):
            evaluate_batch([], rules="x")  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="every"):
            evaluate_batch([], every=0)

    def test_dump_batch_result_needs_a_result(self) -> None:
        """
        Anything but a BatchResult is refused.
        """
        with pytest.raises(InvalidTypeError, match="result"):
            dump_batch_result("x")  # type: ignore[arg-type]

    def test_a_result_has_one_of_escalation_and_error(self) -> None:
        """
        ok is whether the record was evaluated.
        """
        (good,) = evaluate_batch([Assessment()])

        assert good.ok
        assert isinstance(good, BatchResult)
        assert good.error is None


class TestShortReprs:
    """
    Large values have short reprs, so help() stays readable.
    """

    def test_rule_set_and_rule(self) -> None:
        """
        A rule set shows its id, version, digest prefix and size; a rule
        its id and level.
        """
        rules = DEFAULT_RULES

        assert (
            f"RuleSet(id={rules.id!r}, version={rules.version!r}, "
            f"digest={rules.digest[:12]!r}, rules={len(rules)})"
        ) == repr(rules)
        assert "Rule(id='cauda_equina', urgency=Urgency.EMERGENCY)" == repr(
            rules["cauda_equina"]
        )

    def test_escalation_and_care_plan(self) -> None:
        """
        An escalation shows its level, fired rule ids, how much is still
        open, its rule set and id; a plan its level, step ids, reasons and
        region; neither repeats the assessment or the texts.
        """
        case = spasmcare.Assessment.from_answers({"fever": True}, id="rec-7")
        escalation = spasmcare.evaluate(case)
        plan = spasmcare.plan_care(
            case, escalation, region=spasmcare.REGIONS["us"]
        )

        assert (
            "Escalation(level=Urgency.URGENT, fired=('spinal_infection',), "
            f"pending={len(escalation.pending)}, "
            f"unanswered={len(escalation.unanswered)}, "
            "rule_set='spasmcare-default', id='rec-7')"
        ) == repr(escalation)
        steps = tuple(step.id for step in plan.steps)
        assert steps[0] == plan.steps[0].id
        assert (
            f"CarePlan(level=Urgency.URGENT, steps={steps!r}, "
            "reasons=('spinal_infection',), region='us')"
        ) == repr(plan)
        assert len(repr(plan)) < 400

    @pytest.mark.parametrize(
        "name",
        ["evaluate", "evaluate_many", "evaluate_batch", "next_question"],
    )
    def test_help_of_a_function_is_short(self, name: str) -> None:
        """
        help() of a function whose default is the rule set is a page,
        not the 27,000-character catalogue.
        """
        text = pydoc.plain(pydoc.render_doc(getattr(spasmcare, name)))

        assert len(text) < 4000

    def test_help_of_interview_is_short(self) -> None:
        """
        help(Interview) was about 56,000 characters.
        """
        text = pydoc.plain(pydoc.render_doc(spasmcare.Interview))

        assert len(text) < 6000

    def test_digest_is_stable(self) -> None:
        """
        The digest is made once and is the same on every read.
        """
        assert DEFAULT_RULES.digest == DEFAULT_RULES.digest
        assert re.fullmatch("[0-9a-f]{64}", DEFAULT_RULES.digest)


class TestLevelNames:
    """
    The Python names and the JSON values of the levels are documented
    side by side.
    """

    def test_the_levels_table_matches_the_enum(self) -> None:
        """
        docs/explanation/clinical-basis.md maps every Urgency name to
        its value.
        """
        page = (DOCS / "explanation" / "clinical-basis.md").read_text(
            encoding="utf-8"
        )
        rows = re.findall(
            r"^\| `([A-Z_]+)` \| `([a-z_0-9]+)` \|", page, re.MULTILINE
        )

        assert {(u.name, u.value) for u in Urgency} == set(rows)

    def test_every_schema_maps_values_to_names(self) -> None:
        """
        Each schema's Urgency description names every value's Python name.
        """
        for name in ("escalation", "care-plan", "report", "batch-result"):
            description = json_schema(name)["$defs"]["Urgency"]["description"]
            for level in Urgency:
                assert f"{level.value} = Urgency.{level.name}" in description


@given(st.data())
def test_the_schema_and_the_loader_agree_on_the_life_limit(
    data: st.DataObject,
) -> None:
    """
    The schema now enforces what the loader does: an episode no longer
    than (age_years + 1) * 366 days (issue 15: 16 years and 6,223 days).
    """
    age = data.draw(st.integers(16, 120))
    days = data.draw(st.integers(0, 36_500))
    document = doc(age_years=age, duration_days=days)
    try:
        load_assessment(document)
    except InvalidJSONError:
        loaded = False
    else:
        loaded = True

    assert (days <= (age + 1) * 366) == loaded
    assert loaded == (not schema_errors("assessment", document))
    assert schema_errors("assessment", doc(age_years=16, duration_days=6223))
