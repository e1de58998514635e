# SPDX-License-Identifier: MIT
"""
Mutation testing of the safety core (issue 15, part 1).

Two sources of mutants:

- **mutmut 3's operators** (numbers, strings, names, operators,
  keywords, arguments, assignments...) applied to every function and
  method of the safety core, decorated ones (properties) included;
- **a data mutator** for what mutmut does not mutate, the catalogue's
  module-level data: each threshold ±1, each rule's level one step up and
  one step down, ``AnyOf`` ↔ ``AllOf``, each criterion dropped from its
  combination, each rule dropped.

Each mutant is written into a private copy of the repository and the
*whole* default test suite is run against it in a fresh Python process
(no shared state, no compiled-rule cache carried over), in two stages:
the fast safety tests first, then every other test file; each stage stops
at the first failure (``-x``). A mutant survives only if every test passes.

Results are kept in ``docs/safety/mutation-results.json``, keyed by a
digest of the mutated unit (the function, or the rule or shared criterion
of the catalogue, after the mutation): a mutant whose key is unchanged is
not run again. A killed mutant also records the test that killed it and a
digest of that test's file; when the file changes, the test alone is run
again (a fresh process, a second or two), and the whole suite only if it
no longer kills. Mutants that cannot be killed are listed, each with a
one-line reason, in ``docs/safety/equivalent-mutants.toml`` (never a data
mutant: a changed threshold, level or rule membership always matters).

The record also keeps, for each unit, the digest of its code when all its
mutants were last on record, and for each mutant the digest of its unit.
A mutant not yet run is either in the **backlog** (its unit unchanged
since it was put on record: never run yet, left to ``run``) or **new**
(its unit added or changed since: ``check`` runs it, and fails if it
could not within its budget). A ``run`` that stops short saves the new
mutants it did not reach as new, never as backlog; a unit is on record
again only once every one of its mutants has run.

Commands (``python -m tools.mutate --help``)::

    python -m tools.mutate run            # what changed, then the backlog
    python -m tools.mutate run --all      # the full run, from scratch
    python -m tools.mutate run --shard 0/2  # and --shard 1/2 in a second
                                          # checkout: half each, then
                                          # merge the two records
    python -m tools.mutate check --budget 300   # CI: what changed
    python -m tools.mutate show KEY       # the diff of one mutant
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider
from mutmut.mutation.file_mutation import (
    NEVER_MUTATE_FUNCTION_NAMES,
    MutationVisitor,
)
from mutmut.mutation.mutators import mutation_operators
from mutmut.mutation.pragma_handling import get_ignored_lines

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "safety" / "mutation-results.json"
EQUIVALENTS = ROOT / "docs" / "safety" / "equivalent-mutants.toml"
SAFETY_PAGE = ROOT / "docs" / "explanation" / "safety.md"

#: The safety core, and for each file the functions mutated (None: all).
SAFETY_CORE: dict[str, frozenset[str] | None] = {
    "src/spasmcare/_catalogue.py": None,
    "src/spasmcare/_evaluate.py": None,
    "src/spasmcare/_fired.py": None,
    "src/spasmcare/criteria.py": None,
    "src/spasmcare/_compile.py": None,
    "src/spasmcare/_urgency.py": None,
    "src/spasmcare/_rules.py": None,
    "src/spasmcare/_findings.py": None,
    # The referral paths of the care plan: the choice between referral
    # and self-care (_build), the cache of plans (_key: a key missing
    # something would serve another plan), the referral step and its
    # parts, the interim emergency step and the safety net.
    "src/spasmcare/_plan.py": frozenset(
        {
            "plan_care",
            "_key",
            "_build",
            "_action",
            "_regional_action",
            "_interim",
            "_filled_net",
            "_referral",
            "_fired_parts",
            "_referral_step",
            "_safety_nets",
        }
    ),
    "src/spasmcare/_model.py": None,
}
#: The file whose module-level data the data mutator changes.
CATALOGUE = "src/spasmcare/_catalogue.py"

#: The fastest safety tests, run first: most mutants die here.
QUICK = (
    "tests/test_boundaries.py",
    "tests/test_rules.py",
    "tests/test_evaluate.py",
)
#: The fast safety tests, run next.
FIRST = (
    *QUICK,
    "tests/test_criteria.py",
    "tests/test_model.py",
    "tests/test_blind_spots.py",
    "tests/test_interview.py",
    "tests/test_careplan.py",
    "tests/test_plan_wording.py",
    "tests/test_plan_cache.py",
)
#: Left out of mutant runs: a timing ratio, which a loaded machine can
#: fail at random (a false kill would hide a survivor); a mutant that only
#: slows evaluate() down is not a safety gap. `.ci/run` still runs it.
DESELECT = ("tests/test_performance_guard.py::TestRatio",)
#: Imported before forking the test runs (never spasmcare itself).
PRELOAD = (
    "pytest",
    "hypothesis",
    "hypothesis.strategies",
    "attrs",
    "cattrs",
    "jsonschema",
    "sphinx.application",
    "docutils.parsers.rst",
    "fhir.resources.R4B.questionnaire",
    "fhir.resources.R4B.questionnaireresponse",
    "fhirpathpy",
    "icalendar",
    "rule_engine",
    "json_logic",
)
#: Seconds before a stage is stopped (a mutant that hangs is killed).
STAGE_TIMEOUT = 900

#: The Urgency members, least urgent first (as in _urgency.py).
LEVELS = ("SELF_CARE", "ROUTINE", "URGENT", "EMERGENCY", "AMBULANCE")
#: Combinations whose criteria the data mutator drops one by one.
COMBINATIONS = frozenset({"AnyOf", "AllOf", "CountAtLeast"})
#: Data operators: never an equivalent mutant.
DATA_OPERATORS = frozenset(
    {"threshold", "level", "any-all", "drop-criterion", "drop-rule"}
)


@dataclasses.dataclass(frozen=True)
class Mutant:
    """
    One mutant: where it is, what it changes, and the mutated file.
    """

    key: str
    file: str
    unit: str
    line: int
    operator: str
    change: str
    make: Callable[[], str] = dataclasses.field(repr=False, compare=False)
    #: Digest of the mutated unit as it is now, before the mutation.
    unit_digest: str = ""

    @property
    def unit_id(self) -> str:
        """
        The mutated unit, as named in the results file's ``units``.
        """
        return f"{self.file}::{self.unit}"

    @property
    def code(self) -> str:
        """
        The mutated file (made when needed: rendering is the slow part).
        """
        return self.make()

    def record(self) -> dict[str, Any]:
        """
        The fields kept in the results file.
        """
        return {
            "file": self.file,
            "unit": self.unit,
            "line": self.line,
            "operator": self.operator,
            "change": self.change,
            "unit_digest": self.unit_digest,
        }


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:20]


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _replacer(
    module: cst.Module, old: cst.CSTNode, new: cst.CSTNode
) -> Callable[[], str]:
    def make() -> str:
        replaced = module.deep_replace(old, new)
        assert isinstance(replaced, cst.Module)
        return replaced.code

    return make


# --------------------------------------------------------------- mutmut ---


class _Visitor(MutationVisitor):
    """
    mutmut's visitor, also entering decorated functions (properties).

    mutmut leaves them out only because its trampolines cannot wrap
    them; here each mutant is a whole file, so no trampoline is needed.
    """

    def _skip_node_and_children(self, node: cst.CSTNode) -> bool:
        if (
            isinstance(node, cst.FunctionDef)
            and node.decorators
            and node.name.value not in NEVER_MUTATE_FUNCTION_NAMES
        ):
            return False
        return bool(super()._skip_node_and_children(node))


def _qualnames(module: cst.Module) -> dict[cst.FunctionDef, str]:
    names: dict[cst.FunctionDef, str] = {}
    for child in module.body:
        if isinstance(child, cst.FunctionDef):
            names[child] = child.name.value
        elif isinstance(child, cst.ClassDef) and isinstance(
            child.body, cst.IndentedBlock
        ):
            for method in child.body.body:
                if isinstance(method, cst.FunctionDef):
                    names[method] = f"{child.name.value}.{method.name.value}"
    return names


def mutmut_mutants(path: str, only: frozenset[str] | None) -> Iterator[Mutant]:
    """
    mutmut's mutants of the functions of *path* (those in *only*).
    """
    source = (ROOT / path).read_text(encoding="utf-8")
    wrapper = MetadataWrapper(cst.parse_module(source))
    ignored = get_ignored_lines(path, source, wrapper)
    visitor = _Visitor(mutation_operators, ignored)
    wrapper.visit(visitor)
    module = wrapper.module
    positions = wrapper.resolve(PositionProvider)
    names = _qualnames(module)
    if only is not None:
        # A function renamed or moved must not silently leave the core.
        missing = only - {name.split(".")[-1] for name in names.values()}
        if missing:
            msg = f"{path} has no {', '.join(sorted(missing))} (SAFETY_CORE)"
            raise SystemExit(msg)
    for mutation in visitor.mutations:
        function = mutation.contained_by_top_level_function
        if function is None or function not in names:
            continue  # module-level code: see data_mutants()
        name = names[function]
        if only is not None and name.split(".")[-1] not in only:
            continue
        mutated = function.deep_replace(
            mutation.original_node, mutation.mutated_node
        )
        assert isinstance(mutated, cst.FunctionDef)
        key = _digest(path, name, _code(mutated))
        position = positions.get(mutation.original_node)
        yield Mutant(
            key=key,
            file=path,
            unit=name,
            unit_digest=_digest(path, name, _code(function)),
            line=position.start.line if position else 0,
            operator="mutmut",
            change=f"{_short(_code(mutation.original_node))} → "
            f"{_short(_code(mutation.mutated_node))}",
            make=_replacer(module, function, mutated),
        )


# ----------------------------------------------------------------- data ---


def _call_name(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
        return node.func.value
    return None


def _int_arg(call: cst.Call, index: int) -> cst.Integer | None:
    positional = [a for a in call.args if a.keyword is None]
    if index < len(positional) and isinstance(
        positional[index].value, cst.Integer
    ):
        value = positional[index].value
        assert isinstance(value, cst.Integer)
        return value
    return None


def _data_edits(
    unit: cst.CSTNode,
) -> Iterator[tuple[str, cst.CSTNode, cst.CSTNode]]:
    """
    (operator, original node, mutated node) for each data mutation in
    *unit*, a rule or a shared criterion of the catalogue.
    """
    for node in _walk(unit):
        name = _call_name(node)
        if not isinstance(node, cst.Call):
            continue
        # Thresholds: AtLeast(question, n), OnsetBefore(age),
        # CountAtLeast(count, ...).
        index = {"AtLeast": 1, "OnsetBefore": 0, "CountAtLeast": 0}.get(
            name or ""
        )
        number = _int_arg(node, index) if index is not None else None
        if number is not None:
            value = int(number.value)
            for new in (value - 1, value + 1):
                yield "threshold", number, number.with_changes(value=str(new))
        if name in {"AnyOf", "AllOf"}:
            other = "AllOf" if name == "AnyOf" else "AnyOf"
            yield "any-all", node.func, cst.Name(other)
        if name in COMBINATIONS:
            yield from _drops(node, name)
        if name == "Rule":
            yield from _levels(node)


def _drops(
    call: cst.Call, name: str | None
) -> Iterator[tuple[str, cst.CSTNode, cst.CSTNode]]:
    parts = list(call.args)
    first = 1 if name == "CountAtLeast" else 0
    count = _int_arg(call, 0) if name == "CountAtLeast" else None
    criteria = parts[first:]
    if len(criteria) < 2:  # noqa: PLR2004 (a combination of one stays)
        return
    for i in range(first, len(parts)):
        kept = parts[:i] + parts[i + 1 :]
        if count is not None and int(count.value) > len(kept) - 1:
            continue  # the combination could never be met: refused
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        dropped = parts[i].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        yield (
            f"drop-criterion:{_short(_code(dropped.value), 50)}",
            call,
            call.with_changes(args=kept),
        )


def _levels(rule: cst.Call) -> Iterator[tuple[str, cst.CSTNode, cst.CSTNode]]:
    for arg in rule.args:
        if (
            arg.keyword is not None
            and arg.keyword.value == "urgency"
            and isinstance(arg.value, cst.Attribute)
        ):
            level = arg.value.attr.value
            i = LEVELS.index(level)
            for j in (i - 1, i + 1):
                if 0 <= j < len(LEVELS):
                    yield (
                        "level",
                        arg.value.attr,
                        cst.Name(LEVELS[j]),
                    )


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _units(module: cst.Module) -> Iterator[tuple[str, cst.CSTNode]]:
    """
    The catalogue's data: each shared criterion and each rule.
    """
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not (
                isinstance(small, cst.Assign)
                and isinstance(small.targets[0].target, cst.Name)
            ):
                continue
            target = small.targets[0].target.value
            value = small.value
            if isinstance(value, cst.Tuple):
                for element in value.elements:
                    yield _rule_name(element.value), element.value
            elif _call_name(value) in COMBINATIONS | {
                "AtLeast",
                "OnsetBefore",
            }:
                yield target, value


def _rule_name(node: cst.BaseExpression) -> str:
    assert isinstance(node, cst.Call)
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "id":
            assert isinstance(arg.value, cst.SimpleString)
            return f"rule {arg.value.evaluated_value!s}"
    raise AssertionError("a rule without an id")  # pragma: no cover


def data_mutants() -> Iterator[Mutant]:
    """
    The data mutator's mutants of the catalogue.
    """
    source = (ROOT / CATALOGUE).read_text(encoding="utf-8")
    wrapper = MetadataWrapper(cst.parse_module(source))
    module = wrapper.module
    positions = wrapper.resolve(PositionProvider)
    rules_tuple: cst.Tuple | None = None
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and isinstance(
                    small.value, cst.Tuple
                ):
                    rules_tuple = small.value
    for unit_name, unit in _units(module):
        for label, original, mutated in _data_edits(unit):
            operator, _, dropped = label.partition(":")
            new_unit = unit.deep_replace(original, mutated)
            position = positions.get(original)
            yield Mutant(
                key=_digest(CATALOGUE, unit_name, operator, _code(new_unit)),
                file=CATALOGUE,
                unit=unit_name,
                unit_digest=_digest(CATALOGUE, unit_name, _code(unit)),
                line=position.start.line if position else 0,
                operator=operator,
                change=(
                    f"{dropped} dropped from {_call_name(original)}"
                    if dropped
                    else f"{_short(_code(original))} → "
                    f"{_short(_code(mutated))}"
                ),
                make=_replacer(module, original, mutated),
            )
    assert rules_tuple is not None
    elements = list(rules_tuple.elements)
    for i, element in enumerate(elements):
        kept = rules_tuple.with_changes(
            elements=elements[:i] + elements[i + 1 :]
        )
        name = _rule_name(element.value)
        position = positions.get(element.value)
        yield Mutant(
            key=_digest(CATALOGUE, name, "drop-rule", _code(element.value)),
            file=CATALOGUE,
            unit=name,
            unit_digest=_digest(CATALOGUE, name, _code(element.value)),
            line=position.start.line if position else 0,
            operator="drop-rule",
            change=f"{name} dropped",
            make=_replacer(module, rules_tuple, kept),
        )


def all_mutants(files: Iterable[str] | None = None) -> list[Mutant]:
    """
    Every mutant of the safety core (or of *files*), deduplicated.
    """
    chosen = set(SAFETY_CORE if files is None else files)
    out: dict[str, Mutant] = {}
    for path, only in SAFETY_CORE.items():
        if path not in chosen:
            continue
        for mutant in mutmut_mutants(path, only):
            out.setdefault(mutant.key, mutant)
        if path == CATALOGUE:
            for mutant in data_mutants():
                out.setdefault(mutant.key, mutant)
    return list(out.values())


# --------------------------------------------------------------- runner ---


def _test_files(root: Path = ROOT) -> list[str]:
    tests = sorted(
        str(p.relative_to(root)) for p in (root / "tests").glob("test_*.py")
    )
    return [f for f in FIRST if f in tests] + [
        f for f in tests if f not in FIRST
    ]


_SUITE_DIGESTS: dict[tuple[Any, ...], str] = {}


def suite_digest(root: Path | None = None) -> str:
    """
    Digest of every file under tests/: a survivor on record is tried
    again (by ``run``) once the tests have changed.
    """
    root = ROOT if root is None else root
    files = sorted(p for p in (root / "tests").rglob("*.py") if p.is_file())
    stamp = (
        root,
        *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files),
    )
    if stamp not in _SUITE_DIGESTS:
        _SUITE_DIGESTS[stamp] = _digest(
            *(
                f"{p.relative_to(root)}\0{p.read_text(encoding='utf-8')}"
                for p in files
            )
        )
    return _SUITE_DIGESTS[stamp]


def test_digest(node_id: str, root: Path) -> str:
    """
    Digest of the file of the test *node_id* (and the shared test code)
    in the tree *root*.
    """
    path = node_id.split("::", 1)[0]
    parts = [path]
    for name in (path, "tests/conftest.py", "tests/strategies.py"):
        file = root / name
        parts.append(
            file.read_text(encoding="utf-8") if file.is_file() else ""
        )
    return _digest(*parts)


class Sandbox:
    """
    A private copy of the repository to run mutants in.
    """

    def __init__(self) -> None:
        self.child: int | None = None
        self.dir = Path(tempfile.mkdtemp(prefix="spasmcare-mutants-"))
        shutil.copytree(
            ROOT,
            self.dir,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(
                ".git",
                ".venv",
                "_build",
                ".hypothesis",
                "__pycache__",
                ".mypy_cache",
                ".ruff_cache",
                ".pytest_cache",
                ".coverage*",
            ),
        )
        self.env = dict(os.environ)
        self.env.update(
            PYTHONPATH=os.pathsep.join(
                [str(self.dir / "src"), self.env.get("PYTHONPATH", "")]
            ).rstrip(os.pathsep),
            PYTHONDONTWRITEBYTECODE="1",
            HYPOTHESIS_PROFILE="mutation",
        )
        where = subprocess.run(
            [
                sys.executable,
                "-c",
                "import spasmcare; print(spasmcare.__file__)",
            ],
            env=self.env,
            cwd=self.dir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not where.startswith(str(self.dir)):
            msg = f"the sandbox imports spasmcare from {where}"
            raise RuntimeError(msg)
        # What every test run needs, imported once, before any fork.
        for name in PRELOAD:
            with contextlib.suppress(ImportError):  # an extra not installed
                __import__(name)

    def close(self) -> None:
        """
        Remove the copy (stopping a test run still going).
        """
        if self.child is not None:
            with contextlib.suppress(ChildProcessError, ProcessLookupError):
                os.kill(self.child, signal.SIGKILL)
                os.waitpid(self.child, 0)
        shutil.rmtree(self.dir, ignore_errors=True)

    def pytest(
        self, args: Sequence[str], timeout: float = STAGE_TIMEOUT
    ) -> tuple[int, str]:
        """
        Run pytest in a fresh process; (exit code, output).

        The process is forked from this one, which has imported pytest
        and the test dependencies but never spasmcare nor the tests: the
        child imports them anew, from the sandbox, so no state of
        spasmcare (such as a compiled rule set) is carried from one
        mutant to the next. Forking saves the interpreter's start.
        """
        assert not any(
            m.startswith(("spasmcare", "tests")) for m in sys.modules
        )
        out = self.dir / ".mutant-output"
        pid = self.child = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            code = 3
            try:
                fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.chdir(self.dir)
                os.environ.clear()
                os.environ.update(self.env)
                sys.path.insert(0, str(self.dir / "src"))
                import pytest  # noqa: PLC0415

                code = int(
                    pytest.main(
                        [
                            "-x",
                            "-q",
                            "-p",
                            "no:cacheprovider",
                            # Hypothesis's plugin, imported before the
                            # fork, cannot have its asserts rewritten.
                            "-W",
                            "ignore::pytest.PytestAssertRewriteWarning",
                            *(f"--deselect={d}" for d in DESELECT),
                            *args,
                        ]
                    )
                )
            except BaseException:  # noqa: BLE001 (reported, then exit 3)
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                self.child = None
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                self.child = None
                return -1, "timeout"
            time.sleep(0.02)
        return os.waitstatus_to_exitcode(status), out.read_text(
            encoding="utf-8", errors="replace"
        )

    def run(
        self,
        mutant: Mutant | None,
        tests: Sequence[Sequence[str]],
        *,
        strict: bool = True,
    ) -> tuple[str, str | None]:
        """
        Run *tests* (stages) against *mutant*: ("killed", test) or
        ("survived", None).
        """
        pytest_usage_error = 4
        target = self.dir / (mutant.file if mutant else CATALOGUE)
        original = target.read_text(encoding="utf-8")
        if mutant is not None:
            target.write_text(mutant.code, encoding="utf-8")
        try:
            for stage in tests:
                code, output = self.pytest(stage)
                if code == -1:
                    return "killed", "timeout"
                if code == pytest_usage_error and not strict:
                    return "survived", None  # a test id that is gone
                if code == pytest_usage_error:
                    msg = f"pytest refused {stage}: {output[-2000:]}"
                    raise RuntimeError(msg)
                if code not in (0, 5):
                    return "killed", _first_failure(output)
            return "survived", None
        finally:
            target.write_text(original, encoding="utf-8")


def _first_failure(output: str) -> str:
    match = re.search(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)
    if match:
        return match.group(1)
    match = re.search(r"^ERROR collecting (\S+)", output, re.MULTILINE)
    return match.group(1) if match else "<suite>"


# -------------------------------------------------------------- results ---


#: The results file's format (1: no unit digests, "pending" for both).
VERSION = 2


@dataclasses.dataclass
class Results:
    """
    The record: each mutant's result, and each unit's digest on record.

    ``units`` maps each mutated unit (``file::unit``) to the digest of
    its code when its mutants were last all on record: each run, or put
    in the backlog. A unit whose code now has another digest (or none on
    record: a new function, rule or criterion) has *changed*: its
    mutants not run since are "new", which ``check`` runs, never
    "backlog", which it leaves to ``run``.
    """

    mutants: dict[str, dict[str, Any]] = dataclasses.field(
        default_factory=dict
    )
    units: dict[str, str] = dataclasses.field(default_factory=dict)
    #: The file's format as read (1: to be brought on record as 2).
    version: int = VERSION


def load_results(path: Path | None = None) -> Results:
    """
    The committed results (an empty record if there is no file).
    """
    path = RESULTS if path is None else path
    if not path.is_file():
        return Results()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Results(
        mutants=data["mutants"],
        units=data.get("units", {}),
        version=int(data["version"]),
    )


def save_results(results: Results, path: Path | None = None) -> None:
    """
    Write the results file (sorted, one mutant or unit a line).
    """
    path = RESULTS if path is None else path
    mutants = results.mutants
    lines = [
        f"    {json.dumps(k)}: {json.dumps(mutants[k], sort_keys=True)}"
        for k in sorted(mutants, key=lambda k: _order(mutants[k], k))
    ]
    units = [
        f"    {json.dumps(u)}: {json.dumps(results.units[u])}"
        for u in sorted(results.units)
    ]
    path.write_text(
        f'{{\n  "version": {VERSION},\n  "units": {{\n'
        + ",\n".join(units)
        + '\n  },\n  "mutants": {\n'
        + ",\n".join(lines)
        + "\n  }\n}\n",
        encoding="utf-8",
    )


def _order(record: dict[str, Any], key: str) -> tuple[Any, ...]:
    return (record["file"], record["line"], record["unit"], key)


def upgrade(
    every: dict[str, Mutant],
    results: Results,
    equivalents: dict[str, dict[str, Any]],
) -> Results:
    """
    A version-1 record in version 2's terms.

    Version 1 saved every mutant it had not run as "pending", whether
    it was never run (the backlog) or its unit had changed since. A
    pending record whose key is a current mutant's was saved from the
    code as it is now (the key is a digest of the mutated unit), so it
    stays in the backlog, and a unit all of whose mutants are on record
    is on record as it is now; a mutant without a record is new.
    """
    if results.version >= VERSION:
        return results
    mutants = {}
    for key, record in results.mutants.items():
        if key in every:
            status = record.get("status")
            mutants[key] = {
                **record,
                "status": "backlog" if status == "pending" else status,
                "unit_digest": every[key].unit_digest,
            }
    by_unit: dict[str, list[Mutant]] = {}
    for mutant in every.values():
        by_unit.setdefault(mutant.unit_id, []).append(mutant)
    units = {
        unit: group[0].unit_digest
        for unit, group in by_unit.items()
        if all(m.key in mutants or m.key in equivalents for m in group)
    }
    return Results(mutants=mutants, units=units)


def load_equivalents() -> dict[str, dict[str, Any]]:
    """
    The reviewed equivalent mutants, by key.
    """
    if not EQUIVALENTS.is_file():
        return {}
    data = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8"))
    return {m["key"]: m for m in data.get("mutant", [])}


def _stale(
    mutant: Mutant,
    results: Results,
    equivalents: dict[str, dict[str, Any]],
) -> str | None:
    """
    Why *mutant* must run: "new" (not run since its unit was added or
    changed), "test changed" (its killing test's file changed),
    "backlog" (never run, its unit unchanged since it was put on
    record), "retry" (it survived, and the tests have changed since),
    or None (its result stands).
    """
    record = results.mutants.get(mutant.key) or {}
    status = record.get("status")
    killed_by = record.get("killed_by") or ""
    why: str | None = None
    if mutant.key in equivalents:
        why = None
    elif status == "survived":
        # A survivor on record, listed on the safety page: tried again
        # by `run` once the tests have changed (a test to kill it).
        if record.get("suite_digest") != suite_digest():
            why = "retry"
    elif status == "killed":
        if "::" in killed_by and record.get("test_digest") != test_digest(
            killed_by, ROOT
        ):
            why = "test changed"
    elif status == "backlog" and (
        record.get("unit_digest")
        == mutant.unit_digest
        == results.units.get(mutant.unit_id)
    ):
        why = "backlog"
    else:
        why = "new"  # no record, "new", or a unit changed since
    return why


#: The order in which stale mutants run: new code first.
PRIORITY = {"new": 0, "test changed": 1, "retry": 2, "backlog": 3}


def _verify(
    sandbox: Sandbox,
    mutant: Mutant,
    why: str,
    record: dict[str, Any] | None,
    killers: Sequence[str] = (),
) -> dict[str, Any]:
    """
    Run *mutant*: first the tests most likely to kill it (its own
    killing test when that test changed, or the tests that killed the
    last mutants of the same file), then, unless one of them failed, the
    whole suite. Only a failing test counts in the first run.
    """
    start = time.monotonic()
    status, by = "survived", None
    likely = (
        [record["killed_by"]]
        if why == "test changed" and record is not None
        else list(killers)
    )
    if likely:
        status, by = sandbox.run(mutant, [likely], strict=False)
        if status == "killed" and by in {"<suite>", "timeout"}:
            status, by = "survived", None  # not found: run everything
    if status != "killed":
        files = _test_files(sandbox.dir)
        quick = [f for f in files if f in QUICK]
        first = [f for f in files if f in FIRST and f not in QUICK]
        rest = [f for f in files if f not in FIRST]
        status, by = sandbox.run(mutant, [quick, first, rest])
    out = mutant.record()
    out.update(status=status, killed_by=by)
    out["seconds"] = round(time.monotonic() - start, 1)
    # Digests of the tests as they were run (the sandbox's copy).
    if by and "::" in by:
        out["test_digest"] = test_digest(by, sandbox.dir)
    if status == "survived":
        out["suite_digest"] = suite_digest(sandbox.dir)
    return out


def _check_equivalents(
    mutants: dict[str, Mutant], equivalents: dict[str, dict[str, Any]]
) -> list[str]:
    problems = []
    for key, entry in equivalents.items():
        if key not in mutants:
            problems.append(f"equivalent {key}: no such mutant (stale entry)")
            continue
        if mutants[key].operator in DATA_OPERATORS:
            problems.append(
                f"equivalent {key}: a {mutants[key].operator} mutant of the "
                "catalogue is never equivalent"
            )
        if not str(entry.get("reason", "")).strip():
            problems.append(f"equivalent {key}: no reason given")
    return problems


def score_table(
    mutants: dict[str, Mutant],
    results: dict[str, dict[str, Any]],
    equivalents: dict[str, dict[str, Any]],
) -> str:
    """
    The Markdown table of the mutation score per file.
    """
    columns = ("killed", "equivalent", "survived", "new", "backlog")
    rows: dict[str, dict[str, int]] = {}
    for key, mutant in mutants.items():
        row = rows.setdefault(mutant.file, dict.fromkeys(columns, 0))
        status = (
            "equivalent"
            if key in equivalents
            else results.get(key, {}).get("status", "new")
        )
        row[status if status in columns else "new"] += 1
    lines = [
        (
            "| File | Mutants | Killed | Equivalent | Survived "
            "| Not run: new or changed | Not run: backlog "
            "| Score (of those run) |"
        ),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = dict.fromkeys(columns, 0)
    for file in sorted(rows, key=list(SAFETY_CORE).index):
        for column in columns:
            total[column] += rows[file][column]
        lines.append(_row(f"`{Path(file).name}`", rows[file]))
    lines.append(_row("**all**", total))
    return "\n".join(lines) + "\n"


def _row(name: str, row: dict[str, int]) -> str:
    n = sum(row.values())
    ran = n - row["new"] - row["backlog"]
    good = row["killed"] + row["equivalent"]
    score = f"{100 * good / ran:.1f}%" if ran else "–"
    return (
        f"| {name} | {n} | {row['killed']} | {row['equivalent']} | "
        f"{row['survived']} | {row['new']} | {row['backlog']} | {score} |"
    )


START = "<!-- mutation-score: start (python -m tools.mutate run) -->"
END = "<!-- mutation-score: end -->"


def page_with(table: str) -> str:
    """
    The safety page with *table* between its markers.
    """
    page = SAFETY_PAGE.read_text(encoding="utf-8")
    before, sep, rest = page.partition(START)
    _, sep2, after = rest.partition(END)
    if not (sep and sep2):
        msg = f"{SAFETY_PAGE} lacks the mutation-score markers"
        raise SystemExit(msg)
    return f"{before}{START}\n{table}{END}{after}"


def _mutants_by_key(files: Sequence[str] | None) -> dict[str, Mutant]:
    return {m.key: m for m in all_mutants(files)}


def _shard_spec(text: str) -> tuple[int, int]:
    """
    ``K/N`` as (K, N), 0 <= K < N.
    """
    k, sep, n = text.partition("/")
    if sep and k.isdigit() and n.isdigit() and int(k) < int(n):
        return int(k), int(n)
    msg = f"--shard wants K/N with 0 <= K < N, not {text!r}"
    raise argparse.ArgumentTypeError(msg)


def shard(
    todo: Sequence[tuple[Mutant, str]], spec: tuple[int, int] | None
) -> list[tuple[Mutant, str]]:
    """
    The part of *todo* that shard *spec* (K, N) runs: every Nth, from
    the Kth, in the same order (so new code still comes first).
    """
    if spec is None:
        return list(todo)
    k, n = spec
    return list(todo[k::n])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.mutate",
        description="Mutation testing of spasmcare's safety core.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run new and changed mutants")
    run.add_argument("--all", action="store_true", help="run every mutant")
    run.add_argument("--file", action="append", help="only this file")
    run.add_argument("--limit", type=int, help="stop after N mutants")
    run.add_argument(
        "--why",
        action="append",
        choices=sorted(PRIORITY),
        help="only the mutants due for this reason (repeat for several)",
    )
    run.add_argument(
        "--budget", type=float, help="stop after this many seconds"
    )
    run.add_argument(
        "--shard",
        type=_shard_spec,
        help="K/N: only every Nth mutant due, from the Kth (0 <= K < N), "
        "so N runs in N checkouts share the work (merge their records)",
    )
    run.add_argument(
        "--no-baseline",
        action="store_true",
        help="do not first check that the unmutated suite passes",
    )
    check = sub.add_parser(
        "check", help="CI: run what changed, fail on a new survivor"
    )
    check.add_argument("--budget", type=float, default=300.0)
    check.add_argument("--file", action="append", help="only this file")
    check.add_argument("--no-baseline", action="store_true")
    show = sub.add_parser("show", help="the diff of one mutant")
    show.add_argument("key")
    sub.add_parser("list", help="list every mutant and its status")
    sub.add_parser("table", help="rewrite the score table on the page")
    return parser


def _show(mutant: Mutant) -> None:
    original = (ROOT / mutant.file).read_text(encoding="utf-8")
    sys.stdout.writelines(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            mutant.code.splitlines(keepends=True),
            mutant.file,
            f"{mutant.file} ({mutant.operator}: {mutant.unit})",
        )
    )


def _status(
    mutant: Mutant,
    results: Results,
    equivalents: dict[str, dict[str, Any]],
) -> str:
    if mutant.key in equivalents:
        return "equivalent"
    why = _stale(mutant, results, equivalents)
    if why in {"new", "backlog"}:
        return why
    return str(results.mutants[mutant.key]["status"])


def bring_on_record(
    every: dict[str, Mutant],
    results: Results,
    equivalents: dict[str, dict[str, Any]],
) -> Results:
    """
    The record to save: the results of the mutants that exist, every
    other mutant as "backlog" if its unit is unchanged since it was on
    record and "new" if not, and each unit's digest once all its mutants
    are on record (run, listed equivalent or in the backlog).

    So a mutant of changed code stays "new" until it has run, whatever
    runs stop short of it, and ``check`` always runs it.
    """
    kept: dict[str, dict[str, Any]] = {}
    for key, mutant in every.items():
        why = _stale(mutant, results, equivalents)
        record = results.mutants.get(key)
        if why in {"new", "backlog"} and key not in equivalents:
            kept[key] = {**mutant.record(), "status": why}
        elif record is not None:
            kept[key] = {**record, **mutant.record()}
    by_unit: dict[str, list[Mutant]] = {}
    for mutant in every.values():
        by_unit.setdefault(mutant.unit_id, []).append(mutant)
    units = {}
    for unit, group in by_unit.items():
        digest = group[0].unit_digest
        if all(
            m.key in equivalents or kept[m.key]["status"] != "new"
            for m in group
        ):
            units[unit] = digest  # every mutant of the unit on record
        elif unit in results.units:
            units[unit] = results.units[unit]  # changed: not yet on record
    return Results(mutants=kept, units=units)


def _save(
    every: dict[str, Mutant],
    results: Results,
    equivalents: dict[str, dict[str, Any]],
) -> Results:
    """
    Save the record (see bring_on_record) and the page's score table.
    """
    kept = bring_on_record(every, results, equivalents)
    save_results(kept)
    SAFETY_PAGE.write_text(
        page_with(score_table(every, kept.mutants, equivalents)),
        encoding="utf-8",
    )
    return kept


def _stop(*_: object) -> None:
    raise KeyboardInterrupt


def to_run(
    every: dict[str, Mutant],
    results: Results,
    equivalents: dict[str, dict[str, Any]],
    *,
    check: bool,
    files: Iterable[str] | None = None,
    everything: bool = False,
    reasons: Iterable[str] | None = None,
) -> list[tuple[Mutant, str]]:
    """
    The mutants to run and why, new code first: for ``check`` (CI) the
    new and changed mutants and those whose killing test changed; for
    ``run`` the backlog as well (*everything*: every mutant, as new;
    *reasons*: only the mutants due for one of these).
    """
    chosen = set(SAFETY_CORE if files is None else files)
    todo = []
    for mutant in every.values():
        if mutant.file not in chosen:
            continue
        why = "new" if everything else _stale(mutant, results, equivalents)
        # CI runs what changed; the backlog and retries are for `run`.
        if why is None or (check and why in {"backlog", "retry"}):
            continue
        if reasons is None or why in reasons:
            todo.append((mutant, why))
    return sorted(todo, key=lambda item: PRIORITY[item[1]])


def main(argv: Sequence[str] | None = None) -> int:  # noqa: C901, PLR0912, PLR0915
    """
    The command line; see the module docstring.
    """
    args = _parser().parse_args(argv)
    # A stopped run still removes its sandbox and keeps its progress.
    signal.signal(signal.SIGTERM, _stop)
    equivalents = load_equivalents()
    every = _mutants_by_key(None)
    results = upgrade(every, load_results(), equivalents)
    if args.command == "show":
        _show(every[args.key])
        return 0
    if args.command == "list":
        for key, m in every.items():
            print(
                f"{key} {_status(m, results, equivalents):12} "
                f"{m.file}:{m.line} {m.unit} {m.operator}: {m.change}"
            )
        return 0
    if args.command == "table":
        _save(every, results, equivalents)
        return 0

    check = args.command == "check"
    problems = _check_equivalents(every, equivalents)
    todo = to_run(
        every,
        results,
        equivalents,
        check=check,
        files=args.file,
        everything=not check and args.all,
        reasons=None if check else args.why,
    )
    todo = shard(todo, None if check else args.shard)
    known = {
        k for k, v in results.mutants.items() if v.get("status") == "survived"
    }
    print(
        f"{len(every)} mutants, {len(equivalents)} listed equivalent, "
        f"{len(known)} known survivors, {len(todo)} to run",
        flush=True,
    )
    budget = args.budget if args.budget is not None else float("inf")
    limit = getattr(args, "limit", None) or len(todo)
    start = time.monotonic()
    new_survivors: list[Mutant] = []
    killers: dict[str, list[str]] = {}
    left: list[tuple[Mutant, str]] = []
    ran: set[str] = set()
    sandbox: Sandbox | None = None
    try:
        for i, (mutant, why) in enumerate(todo):
            if i >= limit or time.monotonic() - start > budget:
                left = todo[i:]
                break
            if sandbox is None:
                sandbox = Sandbox()
                if not args.no_baseline:
                    status, by = sandbox.run(None, [_test_files(sandbox.dir)])
                    if status != "survived":
                        print(
                            f"the unmutated suite fails ({by}): fix it first"
                        )
                        return 1
            recent = killers.setdefault(mutant.file, [])
            record = _verify(
                sandbox, mutant, why, results.mutants.get(mutant.key), recent
            )
            results.mutants[mutant.key] = record
            ran.add(mutant.key)
            by = record["killed_by"]
            if by and "::" in by:
                recent[:] = [by, *(k for k in recent if k != by)][:8]
            print(
                f"[{i + 1}/{len(todo)}] {record['status']:8} "
                f"{record['seconds']:6.1f}s {mutant.key} "
                f"{mutant.file}:{mutant.line} {mutant.operator}: "
                f"{mutant.change}" + (f"  (by {by})" if by else ""),
                flush=True,
            )
            if record["status"] != "killed" and mutant.key not in known:
                new_survivors.append(mutant)
            if not check and i % 5 == 4:  # noqa: PLR2004
                _save(every, results, equivalents)  # progress survives
    except KeyboardInterrupt:
        print("stopped", flush=True)
        left = [t for t in todo if t[0].key not in ran]
    finally:
        if sandbox is not None:
            sandbox.close()
    if not check:
        _save(every, results, equivalents)
    print(
        f"{time.monotonic() - start:.0f} s; {len(new_survivors)} new survivors"
    )
    for m in new_survivors:
        print(
            f"SURVIVED {m.key} {m.file}:{m.line} {m.unit} "
            f"{m.operator}: {m.change}"
        )
    unrun_new = [m for m, why in left if why == "new"]
    if left:
        print(
            f"note: {len(left)} mutants not run ({len(unrun_new)} of new or "
            "changed code; python -m tools.mutate run, then commit "
            "docs/safety/)"
        )
    if check:
        # Changed code whose mutants did not all run is not checked: the
        # record must be brought up to date (like a stale schema).
        problems.extend(
            f"not run: {m.key} {m.file}:{m.line} {m.unit} (new or changed)"
            for m in unrun_new
        )
    for problem in problems:
        print(problem)
    return 1 if new_survivors or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
