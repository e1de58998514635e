# SPDX-License-Identifier: MIT
"""
Hostile input gets the documented errors, fast and short (issue 15:
the attacks kept as regression tests).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from spasmcare import (
    Assessment,
    Interview,
    InvalidJSONError,
    InvalidTypeError,
    InvalidValueError,
    load_assessment,
)
from spasmcare import _json as json_face
from spasmcare.exceptions import _shown


def doc(**fields: Any) -> dict[str, Any]:
    """
    An assessment document with *fields*.
    """
    return {"schema_version": "1", **fields}


def problems_of(document: object) -> tuple[tuple[str, str], ...]:
    """
    The problems load_assessment reports for *document*.
    """
    with pytest.raises(InvalidJSONError) as caught:
        load_assessment(document)  # type: ignore[arg-type]
    return caught.value.problems


class TestHugeIntegers:
    """
    High: an integer of more than 4,300 digits made the loader,
    Assessment.from_answers and Interview.answer raise a plain ValueError
    (Python's int-to-text limit, hit while building the message).
    """

    HUGE = 10**5000

    def test_in_json_text_it_is_a_json_error(self) -> None:
        """
        In a 5 kB body, anywhere, it is an InvalidJSONError saying how
        many digits it has.
        """
        text = '{"schema_version": "1", "pain_score": ' + "9" * 5000 + "}"

        assert (
            (
                "$",
                "a number of 5000 digits; no value here has more than a few",
            ),
        ) == problems_of(text)

    def test_a_negative_one_counts_its_digits_without_the_sign(self) -> None:
        """
        The sign is not a digit.
        """
        text = (
            '{"schema_version": "1", "answers": {"fever": -'
            + "1" * 4301
            + "}}"
        )

        assert "a number of 4301 digits" in problems_of(text)[0][1]

    def test_the_longest_python_reads_is_still_an_ordinary_error(
        self,
    ) -> None:
        """
        4,300 digits are read, and refused as out of range, described by
        their size.
        """
        text = '{"schema_version": "1", "pain_score": ' + "9" * 4300 + "}"

        ((path, message),) = problems_of(text)

        assert "$.pain_score" == path
        assert message.startswith("must be from 0 to 10")
        assert message.endswith("got a number of 4300 digits")

    def test_in_a_parsed_document_it_is_described_by_its_size(self) -> None:
        """
        Already parsed (no digit limit), it is an out-of-range number
        whose message is short.
        """
        ((path, message),) = problems_of(doc(age_years=self.HUGE))

        assert "$.age_years" == path
        assert message.endswith("got a number of 5001 digits")

    def test_from_answers_and_interview_answer_raise_their_own_error(
        self,
    ) -> None:
        """
        The model and the interview raise InvalidValueError with a short
        message; the error keeps the value itself.
        """
        with pytest.raises(InvalidValueError) as from_answers:
            Assessment.from_answers(pain_score=self.HUGE)
        with pytest.raises(InvalidValueError) as interview:
            Interview().answer("age_years", self.HUGE)

        for caught in (from_answers, interview):
            assert len(str(caught.value)) < 200
            assert "5001 digits" in str(caught.value)
            assert self.HUGE == caught.value.value

    def test_a_huge_id_is_refused_shortly(self) -> None:
        """
        An id too big for 64 bits is refused with a short message.
        """
        ((path, message),) = problems_of(doc(id=self.HUGE))

        assert "$.id" == path
        assert len(message) < 120


class TestEchoedValues:
    """
    Low: an unknown key was echoed whole (a 50 MB key gave a 50 MB line).
    """

    def test_a_long_unknown_key_is_cut_in_the_path(self) -> None:
        """
        A 1 MB key is shown as its first 37 characters and "...".
        """
        key = "k" * 1_000_000

        ((path, message),) = problems_of(doc(**{key: 1}))

        assert (
            '$["' + "k" * 37 + '..."]' == path
            or "$." + "k" * 37 + "..." == path
        )
        assert len(message) < 200

    def test_a_long_unknown_finding_is_cut_too(self) -> None:
        """
        The same inside answers.
        """
        ((path, _),) = problems_of(doc(answers={"f" * 10_000: True}))

        assert len(path) < 60

    def test_long_string_values_are_cut(self) -> None:
        """
        A long string where a number belongs is shown cut.
        """
        ((_, message),) = problems_of(doc(pain_score="x" * 100_000))

        assert len(message) < 200

    def test_a_value_with_a_broken_repr_still_gives_the_error(self) -> None:
        """
        A value whose __repr__ raises is shown by its type and id.
        """

        class Broken:
            def __repr__(self) -> str:
                raise RuntimeError

        with pytest.raises(InvalidTypeError, match="<Broken instance at"):
            Assessment(pain_score=Broken())  # type: ignore[arg-type]

    def test_long_containers_are_shown_short(self) -> None:
        """
        A long list or deep dict is shown in at most 80 characters.
        """
        assert len(_shown(list(range(10_000)))) <= 80
        assert len(_shown({"a": {"b": {"c": {"d": 1}}}})) <= 80


class TestDidYouMean:
    """
    Medium: each unknown key ran a "did you mean" search costing about
    10 s of CPU per MB: the search is bounded.
    """

    def test_long_keys_get_no_search(self) -> None:
        """
        A key longer than 64 characters gets the plain message.
        """
        ((_, message),) = problems_of(doc(**{"pain_score" + "x" * 60: 1}))

        assert "did you mean" not in message

    def test_only_the_first_ten_unknown_keys_get_a_suggestion(self) -> None:
        """
        Of 50 misspelt findings, 10 get a suggestion; all 50 are reported.
        """
        answers = {f"fevr{i}": True for i in range(50)}

        found = problems_of(doc(answers=answers))

        assert 50 == len(found)
        assert 10 == sum("did you mean" in m for _, m in found)

    def test_a_big_document_of_unknown_keys_is_quick(self) -> None:
        """
        A 2 MB document of unknown keys is refused in well under the
        time the unbounded search took (about 20 s): the bound is a
        ratio, loose enough for a busy machine.
        """
        answers = {f"{i:06d}" + "y" * 100: True for i in range(20_000)}
        text = json.dumps(doc(answers=answers))
        start = time.perf_counter()

        found = problems_of(text)

        assert 20_000 == len(found)
        assert time.perf_counter() - start < 10


class TestDocumentOrder:
    """
    Low: problems were not listed in document order, though the docs said
    so.
    """

    def test_problems_follow_the_document(self) -> None:
        """
        Unknown keys, numbers and answers are reported in the order they
        appear, whatever the kind of problem.
        """
        text = (
            '{"zzz": 1, "pain_score": 11, "answers": {"fevr": true}, '
            '"aaa": 2, "schema_version": "1", "age_years": 300}'
        )

        paths = [path for path, _ in problems_of(text)]

        assert [
            "$.zzz",
            "$.pain_score",
            "$.answers.fevr",
            "$.aaa",
            "$.age_years",
        ] == paths

    def test_a_missing_version_comes_first(self) -> None:
        """
        A missing key has no place in the document: it is listed first.
        """
        paths = [p for p, _ in problems_of({"pain_score": 11})]

        assert ["$.schema_version", "$.pain_score"] == paths


class TestNumbersAsWritten:
    """
    Low: numbers in messages were printed in full rather than as written
    (1e300 as a 301-digit integer).
    """

    @pytest.mark.parametrize(
        ("text", "shown"),
        [("1e300", "1e+300"), ("11.0", "11.0"), ("-1", "-1")],
    )
    def test_out_of_range_numbers_are_shown_as_json(
        self, text: str, shown: str
    ) -> None:
        """
        An out-of-range number is shown as JSON writes it.
        """
        document = '{"schema_version": "1", "pain_score": ' + text + "}"

        ((_, message),) = problems_of(document)

        assert message.endswith(f"got {shown}")

    def test_found_describes_huge_integers_by_size(self) -> None:
        """
        The describing helper never turns a huge integer into digits.
        """
        assert "a number of 5001 digits" == json_face.found(10**5000)
