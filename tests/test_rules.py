# SPDX-License-Identifier: MIT
"""
The rule catalogue: each rule fires on its case and not on its near miss;
rule sets are validated when built.
"""

from __future__ import annotations

import pickle

import attrs
import pytest

from spasmcare import (
    DEFAULT_RULES,
    QUESTIONS,
    Assessment,
    Citation,
    Rule,
    RuleSet,
    RuleSetError,
    SpasmcareError,
    Urgency,
    evaluate,
)
from spasmcare.criteria import Present

from .vignettes import plain_strain, with_absent, with_present

# Each row: rule id, the case that must fire it, the near miss that must
# not, both built from the plain strain (every finding absent except a
# sudden start after lifting; age 35, pain 5, day 1, no earlier episodes).
P = plain_strain
EXAMPLES: dict[str, tuple[Assessment, Assessment]] = {
    "aortic_aneurysm": (
        with_present(P(), "pulsating_abdomen"),
        with_present(P(), "flank_to_groin"),
    ),
    "chest_pain": (
        with_present(P(), "chest_pain"),
        with_present(P(), "thoracic_pain"),
    ),
    "major_trauma": (
        with_present(P(), "major_trauma"),
        P(),  # a minor strain is not major trauma
    ),
    "cauda_equina": (
        with_present(P(), "saddle_numbness"),
        # One-sided sciatica is not a cauda equina feature.
        with_present(P(), "leg_pain_numbness"),
    ),
    "progressive_neurological_deficit": (
        with_present(P(), "progressive_weakness"),
        with_present(P(), "one_leg_weakness"),
    ),
    "cancer_with_neurology": (
        with_present(P(), "cancer_history", "leg_pain_numbness"),
        with_present(P(), "cancer_history", "night_pain"),
    ),
    "spinal_infection_severe": (
        with_present(P(), "fever", "infection_risk"),
        with_present(P(), "infection_risk"),
    ),
    "renal_colic": (
        with_present(P(), "flank_to_groin"),
        with_present(P(), "urinary_symptoms"),
    ),
    "electrolyte_emergency": (
        with_present(P(), "widespread_cramps", "palpitations"),
        with_present(P(), "palpitations"),
    ),
    "pregnancy_bleeding_with_pain": (
        with_present(P(), "pregnant", "pregnancy_bleeding", "abdominal_pain"),
        # Bleeding without tummy pain: the maternity unit now, not 999.
        with_present(P(), "pregnant", "pregnancy_bleeding"),
    ),
    "aortic_aneurysm_suspected": (
        with_present(P(age_years=65), "sudden_severe_pain"),
        # The same age with a clear mechanical trigger (lifting).
        P(age_years=65),
    ),
    "abdominal_emergency": (
        with_present(P(), "abdominal_pain", "vomiting"),
        with_present(P(), "abdominal_pain"),
    ),
    "pregnancy_warning_signs": (
        with_present(P(), "pregnant", "contractions"),
        # Pregnant, and otherwise a plain strain: adapted self-care.
        with_present(P(), "pregnant"),
    ),
    "one_sided_weakness": (
        with_present(P(), "one_leg_weakness"),
        with_present(P(), "leg_pain_numbness"),
    ),
    "cancer_history": (
        with_present(P(), "cancer_history"),
        with_present(P(), "weight_loss"),
    ),
    "malignancy_flags": (
        with_present(P(), "weight_loss"),
        with_present(P(), "night_pain"),
    ),
    "weak_flags_combined": (
        with_present(P(age_years=50), "night_pain"),
        # One weak flag alone: age over 50, or night pain, is not enough.
        with_present(P(age_years=49), "night_pain"),
    ),
    "fracture_risk": (
        P(age_years=70),
        P(age_years=69),
    ),
    "spinal_infection": (
        with_present(P(), "fever"),
        with_present(P(), "urinary_symptoms"),
    ),
    "kidney_infection": (
        with_present(P(), "urinary_symptoms", "fever"),
        with_present(P(), "urinary_symptoms"),
    ),
    "spinal_infection_risk": (
        with_present(P(), "injects_drugs"),
        # A common risk (such as diabetes) alone, without fever.
        with_present(P(), "infection_risk"),
    ),
    "abdominal_symptoms": (
        with_present(P(), "abdominal_pain"),
        with_present(P(), "vomiting"),
    ),
    "kidney_problem": (
        with_present(P(), "little_urine"),
        with_present(P(), "electrolyte_risk"),
    ),
    "sudden_severe_pain": (
        with_present(P(), "sudden_severe_pain"),
        # A sudden start after lifting is a strain, not this rule.
        P(),
    ),
    "cannot_mobilise": (
        with_present(P(), "cannot_move"),
        with_present(P(), "not_coping"),
    ),
    "electrolyte_disturbance": (
        with_present(P(), "widespread_cramps", "electrolyte_risk"),
        with_present(P(), "electrolyte_risk"),
    ),
    "severe_pain": (
        P(pain_score=7),
        P(pain_score=6),
    ),
    "worsening_or_not_coping": (
        with_present(P(), "getting_worse"),
        with_present(P(duration_days=27), "no_improvement"),
    ),
    "not_improving": (
        with_present(P(duration_days=28), "no_improvement"),
        # Partial improvement counts as improving until 6 weeks.
        P(duration_days=41),
    ),
    "frequent_recurrence": (
        P(episodes_past_year=3),
        P(episodes_past_year=2),
    ),
    "inflammatory_back_pain": (
        with_present(
            P(age_years=30, duration_days=120),
            "late_night_waking",
            "better_with_movement",
        ),
        # Same features, but only 90 days: not yet over 3 months.
        with_present(
            P(age_years=30, duration_days=90),
            "late_night_waking",
            "better_with_movement",
        ),
    ),
    "widespread_cramps": (
        with_present(P(), "widespread_cramps"),
        P(),
    ),
    "under_16": (
        P(age_years=15, duration_days=1),
        P(age_years=16, duration_days=1),  # the youngest age covered
    ),
}


class TestRuleExamples:
    """
    One case that fires each rule and one near miss that must not.
    """

    def test_every_rule_has_examples(self) -> None:
        """
        A rule added to the catalogue needs a firing case and a near miss.
        """
        assert {r.id for r in DEFAULT_RULES} == set(EXAMPLES)

    @pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
    def test_fires_on_its_case(self, rule_id: str) -> None:
        """
        The rule fires, and the level is at least the rule's.
        """
        case, _ = EXAMPLES[rule_id]

        result = evaluate(case)

        assert rule_id in {f.id for f in result.fired}
        assert DEFAULT_RULES[rule_id].urgency <= result.level
        assert result.screening_complete

    @pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
    def test_does_not_fire_on_its_near_miss(self, rule_id: str) -> None:
        """
        The rule does not fire on the near miss, which is fully answered.
        """
        _, near_miss = EXAMPLES[rule_id]

        result = evaluate(near_miss)

        assert rule_id not in {f.id for f in result.fired}
        assert rule_id not in result.pending
        assert result.screening_complete


class TestWeakFlags:
    """
    Weak flags (age over 50, night pain) never refer a plain strain on
    their own (CLINICAL.md section 0); two together do.
    """

    @pytest.mark.parametrize(
        "case",
        [
            P(age_years=70),  # fires the fracture rule, not the combination
            with_present(P(), "night_pain"),
            with_present(P(), "thoracic_pain"),
            with_present(P(), "cough_sneeze_pain"),
            P(age_years=65),
        ],
        ids=["age-70", "night", "thoracic", "cough", "age-65"],
    )
    def test_one_weak_flag_does_not_trigger_the_combination(
        self, case: Assessment
    ) -> None:
        """
        A single weak flag never fires weak_flags_combined.
        """
        assert "weak_flags_combined" not in {
            f.id for f in evaluate(case).fired
        }

    def test_night_pain_alone_is_self_care(self) -> None:
        """
        A plain strain with night pain alone still gets self-care.
        """
        assert (
            Urgency.SELF_CARE
            == evaluate(with_present(P(), "night_pain")).level
        )

    def test_age_over_50_alone_is_self_care(self) -> None:
        """
        A plain strain in a 60-year-old still gets self-care.
        """
        assert Urgency.SELF_CARE == evaluate(P(age_years=60)).level

    def test_unknown_weak_flags_that_could_combine_are_pending(self) -> None:
        """
        Age 60 with night pain unknown is undecided, not self-care.
        """
        case = attrs.evolve(
            P(age_years=60),
            symptoms=tuple(
                s for s in P().symptoms if s.finding != "night_pain"
            ),
        )

        result = evaluate(case)

        assert "weak_flags_combined" in result.pending
        assert ("night_pain",) == result.unanswered
        assert Urgency.ROUTINE == result.level


CITE = Citation(key="k", source="S", title="T", year=2020)


def _rule(**changes: object) -> Rule:
    fields: dict[str, object] = {
        "id": "my_rule",
        "title": "A title",
        "urgency": Urgency.URGENT,
        "criterion": Present("fever"),
        "rationale": "Because.",
        "warning_sign": "You get a fever.",
        "citations": (CITE,),
    }
    fields.update(changes)
    return Rule(**fields)  # type: ignore[arg-type]


class TestRule:
    """
    Rules are validated when built.
    """

    def test_a_rule_without_a_citation_fails(self) -> None:
        """
        No citation, no rule.
        """
        with pytest.raises(RuleSetError, match="at least one citation") as e:
            _rule(citations=())

        assert "my_rule" == e.value.rule_id

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"urgency": Urgency.SELF_CARE}, "above self-care"),
            ({"urgency": "urgent"}, "needs an Urgency"),
            ({"criterion": lambda _: True}, "needs a Criterion"),
            ({"citations": ("NICE",)}, "needs Citation objects"),
            ({"citations": "NICE"}, "needs Citation objects"),
            ({"id": "Bad Id"}, "lower_snake_case"),
            ({"id": 3}, "lower_snake_case"),
            ({"title": " "}, "needs text"),
            ({"rationale": None}, "needs text"),
        ],
    )
    def test_malformed_rules_fail(
        self, changes: dict[str, object], message: str
    ) -> None:
        """
        Each malformed field raises RuleSetError saying what is wrong.
        """
        with pytest.raises(RuleSetError, match=message):
            _rule(**changes)

    def test_lists_become_tuples(self) -> None:
        """
        Citations given as a list are stored as a tuple.
        """
        assert (CITE,) == _rule(citations=[CITE]).citations


class TestRuleSet:
    """
    Rule sets are immutable, versioned, and reject duplicate ids.
    """

    def test_duplicate_ids_fail(self) -> None:
        """
        Two rules with one id cannot share a set.
        """
        with pytest.raises(RuleSetError, match="duplicate") as e:
            RuleSet(id="s", version="1", rules=(_rule(), _rule()))

        assert "my_rule" == e.value.rule_id

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"id": ""}, "RuleSet.id"),
            ({"version": None}, "RuleSet.version"),
            ({"rules": "abc"}, "tuple of Rule"),
            ({"rules": ("abc",)}, "is not a Rule"),
        ],
    )
    def test_malformed_sets_fail(
        self, changes: dict[str, object], message: str
    ) -> None:
        """
        A blank id or version, or a non-rule, raises RuleSetError.
        """
        fields: dict[str, object] = {"id": "s", "version": "1", "rules": ()}
        fields.update(changes)

        with pytest.raises(RuleSetError, match=message):
            RuleSet(**fields)  # type: ignore[arg-type]

    def test_lookup_iteration_and_length(self) -> None:
        """
        A set is indexed by rule id, iterates in order and has a length.
        """
        rule = _rule()
        rules = RuleSet(id="s", version="1", rules=[rule])

        assert rule is rules["my_rule"]
        assert [rule] == list(rules)
        assert 1 == len(rules)

    def test_replace_changes_and_adds_with_a_new_version(self) -> None:
        """
        replace() swaps rules with the same id and appends new ones.
        """
        stricter = attrs.evolve(
            DEFAULT_RULES["severe_pain"], urgency=Urgency.URGENT
        )
        extra = _rule()

        custom = DEFAULT_RULES.replace(stricter, extra, version="0.1.0+local")

        assert "0.1.0+local" == custom.version
        assert Urgency.URGENT == custom["severe_pain"].urgency
        assert extra is custom.rules[-1]
        assert len(DEFAULT_RULES) + 1 == len(custom)
        assert Urgency.URGENT == evaluate(P(pain_score=8), rules=custom).level

    def test_without_removes_rules(self) -> None:
        """
        without() drops the named rules.
        """
        fewer = DEFAULT_RULES.without("frequent_recurrence", version="x")

        assert "frequent_recurrence" not in {r.id for r in fewer}
        assert (
            Urgency.SELF_CARE
            == evaluate(P(episodes_past_year=10), rules=fewer).level
        )

    def test_without_an_unknown_rule_fails(self) -> None:
        """
        Removing a rule that is not there is an error.
        """
        with pytest.raises(RuleSetError, match="no such rule"):
            DEFAULT_RULES.without("nope", version="x")

    @pytest.mark.parametrize("method", ["replace", "without"])
    def test_a_changed_set_needs_a_new_version(self, method: str) -> None:
        """
        Changing a set without changing its version is refused.
        """
        with pytest.raises(RuleSetError, match="new version"):
            getattr(DEFAULT_RULES, method)(version=DEFAULT_RULES.version)

    def test_digest_changes_with_the_rules(self) -> None:
        """
        The digest is stable for a set and changes when a rule changes.
        """
        changed = DEFAULT_RULES.replace(
            attrs.evolve(DEFAULT_RULES["severe_pain"], urgency=Urgency.URGENT),
            version="y",
        )

        assert 64 == len(DEFAULT_RULES.digest)
        assert DEFAULT_RULES.digest == DEFAULT_RULES.digest
        assert DEFAULT_RULES.digest != changed.digest

    def test_red_flags_are_derived_from_the_rules(self) -> None:
        """
        Strong flags are red flags at their rule's level; weak flags and
        risk factors that count only in combination are not.
        """
        flags = DEFAULT_RULES.red_flags

        assert Urgency.EMERGENCY == flags["saddle_numbness"]
        assert Urgency.AMBULANCE == flags["chest_pain"]
        assert Urgency.URGENT == flags["cancer_history"]
        for weak in ("night_pain", "osteoporosis", "infection_risk"):
            assert weak not in flags

    def test_pickles(self) -> None:
        """
        A rule set survives pickling (for process pools).
        """
        assert DEFAULT_RULES == pickle.loads(pickle.dumps(DEFAULT_RULES))


class TestCatalogue:
    """
    The default catalogue covers the article and CLINICAL.md section 1.
    """

    def test_every_rule_cites_a_source(self) -> None:
        """
        Every rule has at least one citation.
        """
        assert all(rule.citations for rule in DEFAULT_RULES)

    def test_article_criteria_are_all_rules(self) -> None:
        """
        The article's four "call the doctor" criteria are rules citing it.
        """
        article = {
            r.id
            for r in DEFAULT_RULES
            if any(c.key == "seed-article" for c in r.citations)
        }

        assert {
            "not_improving",
            "severe_pain",
            "one_sided_weakness",
            "frequent_recurrence",
        } <= article

    @pytest.mark.parametrize(
        ("rule_id", "level"),
        [
            ("cauda_equina", Urgency.EMERGENCY),
            ("progressive_neurological_deficit", Urgency.EMERGENCY),
            ("one_sided_weakness", Urgency.URGENT),
            ("major_trauma", Urgency.AMBULANCE),
            ("fracture_risk", Urgency.URGENT),
            ("cancer_history", Urgency.URGENT),
            ("cancer_with_neurology", Urgency.EMERGENCY),
            ("spinal_infection", Urgency.URGENT),
            ("spinal_infection_severe", Urgency.EMERGENCY),
            ("aortic_aneurysm", Urgency.AMBULANCE),
            ("chest_pain", Urgency.AMBULANCE),
            ("renal_colic", Urgency.EMERGENCY),
            ("kidney_infection", Urgency.URGENT),
            ("inflammatory_back_pain", Urgency.ROUTINE),
            ("severe_pain", Urgency.ROUTINE),
            ("cannot_mobilise", Urgency.URGENT),
            ("not_improving", Urgency.ROUTINE),
            ("frequent_recurrence", Urgency.ROUTINE),
            ("electrolyte_disturbance", Urgency.URGENT),
            ("electrolyte_emergency", Urgency.EMERGENCY),
            ("pregnancy_bleeding_with_pain", Urgency.AMBULANCE),
            ("aortic_aneurysm_suspected", Urgency.EMERGENCY),
            ("abdominal_emergency", Urgency.EMERGENCY),
            ("pregnancy_warning_signs", Urgency.EMERGENCY),
            ("spinal_infection_risk", Urgency.URGENT),
            ("abdominal_symptoms", Urgency.URGENT),
            ("kidney_problem", Urgency.URGENT),
            ("sudden_severe_pain", Urgency.URGENT),
        ],
    )
    def test_levels_follow_clinical_section_1(
        self, rule_id: str, level: Urgency
    ) -> None:
        """
        Each red-flag family sits at the level CLINICAL.md section 1 gives.
        """
        assert level == DEFAULT_RULES[rule_id].urgency

    def test_weak_flag_case_from_absent_to_present(self) -> None:
        """
        with_absent() and with_present() build the cases they name.
        """
        case = with_absent(with_present(P(), "fever"), "fever")

        assert P() == case


class TestCitation:
    """
    Citations render as a reference line.
    """

    def test_str(self) -> None:
        """
        Source, title, year and locator, in that order.
        """
        c = Citation(
            key="nice-ng65",
            source="NICE",
            title="Spondyloarthritis (NG65)",
            year=2017,
            locator="1.1.1",
        )

        assert "NICE. Spondyloarthritis (NG65) (2017), 1.1.1." == str(c)
        assert "S. T (2020)." == str(CITE)
        assert "Downie A et al. T (2013)." == str(
            Citation(key="d", source="Downie A et al.", title="T", year=2013)
        )

    @pytest.mark.parametrize(
        "changes", [{"key": ""}, {"year": "2020"}, {"url": " "}]
    )
    def test_validated(self, changes: dict[str, object]) -> None:
        """
        Blank text and non-integer years are refused.
        """
        fields: dict[str, object] = {
            "key": "k",
            "source": "S",
            "title": "T",
            "year": 2020,
        }
        fields.update(changes)

        with pytest.raises(SpasmcareError, match="Citation"):
            Citation(**fields)  # type: ignore[arg-type]


class TestQuestionsRead:
    """
    A rule set knows which questions its rules read.
    """

    def test_default_rules_read_every_question(self) -> None:
        """
        Every question in the catalogue is read by some default rule.
        """
        assert set(QUESTIONS) == DEFAULT_RULES.questions
