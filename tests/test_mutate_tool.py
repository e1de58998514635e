# SPDX-License-Identifier: MIT
"""
The mutation tool's record (tools/mutate.py, issue 15): what ``check``
runs in CI after the code changes.

A tiny fake project (two functions and a two-rule catalogue, parsed,
never imported) stands in for the safety core, so no mutant is run here:
these tests are about which mutants the record says must run. Code
changed after a ``run`` must reach CI's ``check`` even when that run
stopped before its mutants (a run used to save them as "pending", the
same as the never-run backlog, which ``check`` skips).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tools import mutate

CORE = "src/fake/core.py"
CATALOGUE = "src/fake/_catalogue.py"

CORE_V1 = '''\
"""A fake safety core."""


def worse(a: int, b: int) -> int:
    return max(a, b)


def flagged(score: int) -> bool:
    return score >= 7
'''

CATALOGUE_V1 = """\
_SEVERE = AnyOf(AtLeast("pain_score", 7), Present("pain_unbearable"))

_RULES = (
    Rule(
        id="fever",
        urgency=Urgency.URGENT,
        criterion=AllOf(Present("fever"), AtLeast("age_years", 50)),
    ),
    Rule(
        id="bladder",
        urgency=Urgency.EMERGENCY,
        criterion=AnyOf(Present("retention"), Present("incontinence")),
    ),
)
"""

PAGE = f"# Safety\n\n{mutate.START}\n{mutate.END}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """
    The tool pointed at a fake project in *tmp_path*.
    """
    (tmp_path / "src" / "fake").mkdir(parents=True)
    (tmp_path / CORE).write_text(CORE_V1, encoding="utf-8")
    (tmp_path / CATALOGUE).write_text(CATALOGUE_V1, encoding="utf-8")
    safety = tmp_path / "docs" / "safety"
    safety.mkdir(parents=True)
    (tmp_path / "safety.md").write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(mutate, "ROOT", tmp_path)
    monkeypatch.setattr(mutate, "RESULTS", safety / "mutation-results.json")
    monkeypatch.setattr(mutate, "EQUIVALENTS", safety / "equivalents.toml")
    monkeypatch.setattr(mutate, "SAFETY_PAGE", tmp_path / "safety.md")
    monkeypatch.setattr(mutate, "CATALOGUE", CATALOGUE)
    monkeypatch.setattr(mutate, "SAFETY_CORE", {CORE: None, CATALOGUE: None})
    return tmp_path


def _every() -> dict[str, mutate.Mutant]:
    return {m.key: m for m in mutate.all_mutants()}


def _units(every: dict[str, mutate.Mutant]) -> set[str]:
    return {m.unit for m in every.values()}


def _v1_backlog(every: dict[str, mutate.Mutant]) -> None:
    """
    A version-1 results file with every mutant "pending" (never run).
    """
    records = {
        k: {
            "file": m.file,
            "unit": m.unit,
            "line": m.line,
            "operator": m.operator,
            "change": m.change,
            "status": "pending",
        }
        for k, m in every.items()
    }
    mutate.RESULTS.write_text(
        json.dumps({"version": 1, "mutants": records}), encoding="utf-8"
    )


def _on_record() -> mutate.Results:
    """
    The record as ``run`` and ``check`` read it (upgraded if need be).
    """
    return mutate.upgrade(_every(), mutate.load_results(), {})


def _check_runs() -> dict[str, str]:
    """
    The mutants ``check`` would run: {unit: why}, one entry per unit.
    """
    every = _every()
    todo = mutate.to_run(every, _on_record(), {}, check=True)
    return {m.unit: why for m, why in todo}


def _edit(path: str, old: str, new: str, project: Path) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.usefixtures("project")
def test_the_fake_project_has_mutants_of_every_kind() -> None:
    every = _every()
    assert _units(every) == {
        "worse",
        "flagged",
        "_SEVERE",
        "rule fever",
        "rule bladder",
    }
    operators = {m.operator for m in every.values()}
    assert {"mutmut", "threshold", "level", "any-all", "drop-rule"} <= (
        operators
    )
    # Each mutant carries the digest of its unit as it is now: the same
    # for the mutants of one unit, different between units.
    digests = {m.unit: m.unit_digest for m in every.values()}
    assert all(m.unit_digest == digests[m.unit] for m in every.values())
    assert len(set(digests.values())) == len(digests)


@pytest.mark.usefixtures("project")
def test_without_a_record_everything_is_new() -> None:
    every = _every()
    todo = mutate.to_run(every, mutate.load_results(), {}, check=True)
    assert len(todo) == len(every)
    assert {why for _, why in todo} == {"new"}


@pytest.mark.usefixtures("project")
def test_a_version_1_backlog_stays_backlog() -> None:
    every = _every()
    _v1_backlog(every)
    results = _on_record()
    assert {r["status"] for r in results.mutants.values()} == {"backlog"}
    assert set(results.units) == {m.unit_id for m in every.values()}
    # CI leaves the backlog to `run`; `run` works through it.
    assert _check_runs() == {}
    todo = mutate.to_run(every, results, {}, check=False)
    assert len(todo) == len(every)
    assert {why for _, why in todo} == {"backlog"}
    assert (
        mutate.to_run(every, results, {}, check=False, reasons=["new"]) == []
    )


@pytest.mark.usefixtures("project")
def test_a_unit_missing_a_mutant_in_a_version_1_record_is_new() -> None:
    """
    Version 1 wrote a record for every mutant: one missing means its
    unit changed since, and all of its mutants not run are new.
    """
    every = _every()
    missing = next(m for m in every.values() if m.unit == "flagged")
    _v1_backlog({k: m for k, m in every.items() if k != missing.key})
    results = _on_record()
    # Its unit is not on record as it is now, the other units are.
    assert set(results.units) == {
        m.unit_id for m in every.values() if m.unit != "flagged"
    }
    todo = mutate.to_run(every, results, {}, check=True)
    assert {m.key for m, _ in todo} == {
        m.key for m in every.values() if m.unit == "flagged"
    }
    assert missing.key in {m.key for m, _ in todo}
    assert {why for _, why in todo} == {"new"}


def test_changed_code_reaches_check_after_a_run_that_stopped_short(
    project: Path,
) -> None:
    """
    The design flaw this record fixes: a ``run`` stopped (budget) before
    the mutants of a changed function must not save them as backlog.
    """
    _v1_backlog(_every())
    mutate.save_results(mutate.bring_on_record(_every(), _on_record(), {}))
    before = mutate.load_results()
    assert before.version == mutate.VERSION
    assert _check_runs() == {}

    _edit(CORE, "score >= 7", "score > 6", project)
    every = _every()
    changed = {k for k, m in every.items() if m.unit == "flagged"}
    # `run --budget` that runs nothing saves the record as it stands.
    assert mutate.main(["run", "--budget=-1", "--no-baseline"]) == 0
    after = mutate.load_results()
    for key in changed:
        assert after.mutants[key]["status"] == "new"
    # The unit stays on record as it was, until its mutants have run.
    flagged = f"{CORE}::flagged"
    assert after.units[flagged] == before.units[flagged]
    assert after.units[flagged] != every[next(iter(changed))].unit_digest
    # Only the changed function's mutants reach CI; the rest stay backlog.
    assert _check_runs() == {"flagged": "new"}
    unchanged = [m for k, m in every.items() if k not in changed]
    assert {after.mutants[m.key]["status"] for m in unchanged} == {"backlog"}
    assert {m.unit_id: after.units[m.unit_id] for m in unchanged} == {
        m.unit_id: before.units[m.unit_id] for m in unchanged
    }


def test_a_unit_is_on_record_again_once_its_mutants_have_run(
    project: Path,
) -> None:
    _v1_backlog(_every())
    mutate.save_results(mutate.bring_on_record(_every(), _on_record(), {}))
    _edit(CORE, "max(a, b)", "max(b, a)", project)
    every = _every()
    results = mutate.bring_on_record(every, _on_record(), {})
    changed = [m for m in every.values() if m.unit == "worse"]
    # All but one run and killed: the unit is still not on record.
    for mutant in changed:
        results.mutants[mutant.key].update(
            status="killed", killed_by="<suite>"
        )
    last = changed[-1]
    results.mutants[last.key]["status"] = "new"
    results = mutate.bring_on_record(every, results, {})
    assert results.units[last.unit_id] != last.unit_digest
    mutate.save_results(results)
    assert _check_runs() == {"worse": "new"}
    # The last one survives: on record (a survivor fails CI once, when
    # it is found, and is then listed on the safety page).
    results.mutants[last.key]["status"] = "survived"
    results = mutate.bring_on_record(every, results, {})
    assert results.units[last.unit_id] == last.unit_digest
    mutate.save_results(results)
    assert _check_runs() == {}


def test_a_changed_rule_makes_only_its_own_mutants_new(project: Path) -> None:
    _v1_backlog(_every())
    mutate.save_results(mutate.bring_on_record(_every(), _on_record(), {}))
    _edit(CATALOGUE, 'AtLeast("age_years", 50)', 'AtLeast("age_years", 55)',
          project)  # fmt: skip
    assert _check_runs() == {"rule fever": "new"}


def test_a_changed_shared_criterion_makes_its_mutants_new(
    project: Path,
) -> None:
    _v1_backlog(_every())
    mutate.save_results(mutate.bring_on_record(_every(), _on_record(), {}))
    _edit(CATALOGUE, '"pain_score", 7', '"pain_score", 8', project)
    assert _check_runs() == {"_SEVERE": "new"}


def test_a_change_outside_every_unit_makes_nothing_new(project: Path) -> None:
    _v1_backlog(_every())
    mutate.save_results(mutate.bring_on_record(_every(), _on_record(), {}))
    _edit(CORE, '"""A fake safety core."""', '"""The fake core."""', project)
    assert _check_runs() == {}


def test_a_new_function_is_new(project: Path) -> None:
    _v1_backlog(_every())
    mutate.save_results(mutate.bring_on_record(_every(), _on_record(), {}))
    with (project / CORE).open("a", encoding="utf-8") as file:
        file.write("\n\ndef older(age: int) -> bool:\n    return age > 50\n")
    assert _check_runs() == {"older": "new"}


def test_check_fails_when_changed_code_is_left_unrun(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _v1_backlog(_every())
    mutate.save_results(mutate.bring_on_record(_every(), _on_record(), {}))
    assert mutate.main(["check", "--budget=-1", "--no-baseline"]) == 0
    _edit(CORE, "score >= 7", "score > 6", project)
    recorded = mutate.RESULTS.read_text(encoding="utf-8")
    assert mutate.main(["check", "--budget=-1", "--no-baseline"]) == 1
    out = capsys.readouterr().out
    flagged = [m for m in _every().values() if m.unit == "flagged"]
    assert f"{len(flagged)} of new or changed code" in out
    assert all(f"not run: {m.key}" in out for m in flagged)
    # check never writes the record.
    assert mutate.RESULTS.read_text(encoding="utf-8") == recorded


def test_the_score_table_tells_new_from_backlog(project: Path) -> None:
    _v1_backlog(_every())
    _edit(CORE, "score >= 7", "score > 6", project)
    assert mutate.main(["table"]) == 0
    page = (project / "safety.md").read_text(encoding="utf-8")
    every = _every()
    n = len(every)
    new = sum(m.unit == "flagged" for m in every.values())
    assert f"| **all** | {n} | 0 | 0 | 0 | {new} | {n - new} | – |" in page
    core = sum(m.file == CORE for m in every.values())
    assert (
        f"| `core.py` | {core} | 0 | 0 | 0 | {new} | {core - new} | – |"
        in (page)
    )


def test_a_survivor_is_retried_by_run_once_the_tests_change(
    project: Path,
) -> None:
    (project / "tests").mkdir()
    (project / "tests" / "test_core.py").write_text(
        "def test_nothing() -> None:\n    assert True\n", encoding="utf-8"
    )
    _v1_backlog(_every())
    results = mutate.bring_on_record(_every(), _on_record(), {})
    survivor = next(m for m in _every().values() if m.unit == "flagged")
    results.mutants[survivor.key].update(
        status="survived", suite_digest=mutate.suite_digest()
    )
    mutate.save_results(results)
    every = _every()

    def due(*, check: bool) -> list[tuple[str, str]]:
        todo = mutate.to_run(every, _on_record(), {}, check=check)
        return [(m.key, why) for m, why in todo if why != "backlog"]

    assert due(check=False) == []
    # A test that kills it: `run` tries the survivor again, CI does not
    # (it fails on new survivors only; this one is on record).
    (project / "tests" / "test_core.py").write_text(
        "def test_flagged() -> None:\n    assert 7 >= 7\n", encoding="utf-8"
    )
    assert due(check=False) == [(survivor.key, "retry")]
    assert due(check=True) == []


def test_a_core_naming_functions_mutates_only_those(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mutate, "SAFETY_CORE", {CORE: frozenset({"flagged"})})
    assert _units(_every()) == {"flagged"}
    # A function renamed or moved away is an error, never a smaller core.
    _edit(CORE, "def flagged(", "def is_flagged(", project)
    with pytest.raises(SystemExit, match="has no flagged"):
        _every()
