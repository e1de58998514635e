# SPDX-License-Identifier: MIT
"""
Sphinx extension for the spasmcare docs.

- ``.. rule-catalogue::`` writes the rule catalogue from
  :data:`spasmcare.DEFAULT_RULES` (or another rule set) at build time,
  so the page can never drift from the code.
- ``.. question-catalogue::`` does the same for :data:`spasmcare.QUESTIONS`.
- The ``rule`` and ``question`` cross-reference types:
  ``:rule:`cauda_equina``` and ``:question:`fever``` link to the entries,
  and a link to a rule or question that does not exist fails a
  nitpicky build.
- ``.. example-output:: NAME.py`` runs ``examples/NAME.py`` at build time
  and shows what it prints, so the output on the page is never stale.
- ``.. cli-help:: [COMMAND]`` shows ``spasmcare [COMMAND] --help``,
  from the command itself.
- ``.. hazard-log::`` writes the hazard log from
  ``docs/safety/hazard-log.toml``, so the page is the file.
- References to a public name through its private module
  (``spasmcare._model.Assessment``, as type hints spell them)
  are resolved to the public name (``spasmcare.Assessment``).

The ``render_*`` functions return the reST text, so the tests can check
it without building the docs.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import runpy
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

import spasmcare
from spasmcare import (
    QUESTIONS,
    AnswerKind,
    Citation,
    Question,
    Rule,
    RuleSet,
    Urgency,
)

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = [
    "cli_help",
    "example_output",
    "load_hazard_log",
    "render_hazard_log",
    "render_question_catalogue",
    "render_rule_catalogue",
    "setup",
]

#: Section title for each level, most urgent first.
LEVEL_HEADINGS = {
    Urgency.AMBULANCE: "Call an ambulance",
    Urgency.EMERGENCY: "Go to the emergency department",
    Urgency.URGENT: "See a doctor today",
    Urgency.ROUTINE: "Book a doctor's appointment",
}

_INLINE_MARKUP = re.compile(r"([\\*`|_\[\]])")


def escape(text: str) -> str:
    """
    Escape *text* so that reST shows it as written.
    """
    return _INLINE_MARKUP.sub(r"\\\1", text)


def _heading(title: str, underline: str) -> list[str]:
    # Titles may hold markup; the underline must be at least as long.
    return [title, underline * max(len(title), 4), ""]


def _level(level: Urgency) -> str:
    return f":attr:`Urgency.{level.name} <spasmcare.Urgency.{level.name}>`"


def _citation(citation: Citation) -> str:
    # Citation.__str__ doubles the full stop after "et al."; spell it here.
    where = f", {citation.locator}" if citation.locator else ""
    text = escape(
        f"{citation.source.rstrip('.')}. {citation.title} "
        f"({citation.year}){where}."
    )
    if citation.url:
        text += f" `{escape(citation.url)} <{citation.url}>`__"
    if citation.note:
        text += f" *Note: {escape(citation.note)}*"
    return f"{text} (key ``{citation.key}``)"


def _field(name: str, body: str) -> list[str]:
    return [f":{name}: {body}"]


def _questions(ids: Iterable[str]) -> str:
    return ", ".join(f":question:`{q}`" for q in sorted(ids))


def _rule_entry(rule: Rule, red_flags: frozenset[str]) -> list[str]:
    lines = [f".. rule:: {rule.id}", ""]
    lines += _heading(f"``{rule.id}``: {escape(rule.title)}", "~")
    lines += [".. rst-class:: rule-fields", ""]
    lines += _field(
        "Level",
        f"{_level(rule.urgency)} ({rule.urgency.category.value.replace('_', '-')}"
        f" in the 3-level scheme). {escape(rule.urgency.action)}",
    )
    lines += _field("Fires when", escape(rule.criterion.describe()) + ".")
    lines += _field("Questions read", _questions(rule.criterion.questions))
    if red_flags:
        lines += _field(
            "Red flags",
            "each of these, answered present, fires this rule on its own: "
            + _questions(red_flags),
        )
    lines += _field("Rationale", escape(rule.rationale))
    lines += _field("Warning sign", escape(rule.warning_sign))
    lines += [":Sources:", ""]
    for number, citation in enumerate(rule.citations, start=1):
        lines.append(f"   {number}. {_citation(citation)}")
    lines.append("")
    return lines


def render_rule_catalogue(rules: RuleSet) -> str:
    """
    The rule catalogue for *rules*, as reST.

    One entry per rule, grouped by level, most urgent first,
    in catalogue order within a level.
    """
    lines = [
        ".. list-table::",
        "   :stub-columns: 1",
        "",
        "   * - Rule set",
        f"     - ``{rules.id}``",
        "   * - Version",
        f"     - ``{rules.version}``",
        "   * - Digest (SHA-256)",
        f"     - ``{rules.digest}``",
        "   * - Rules",
        f"     - {len(rules)}",
        "",
        ".. list-table:: Every rule, most urgent first",
        "   :header-rows: 1",
        "   :widths: 30 15 55",
        "",
        "   * - Rule",
        "     - Level",
        "     - Looks for",
    ]
    ordered = sorted(rules, key=lambda r: r.urgency.rank, reverse=True)
    for rule in ordered:
        lines += [
            f"   * - :rule:`{rule.id}`",
            f"     - {_level(rule.urgency)}",
            f"     - {escape(rule.title)}",
        ]
    lines.append("")
    for level, heading in LEVEL_HEADINGS.items():
        at_level = [r for r in ordered if r.urgency is level]
        if not at_level:
            continue
        lines += _heading(f"{heading} ({level.name})", "-")
        lines += [escape(level.action), ""]
        for rule in at_level:
            lines += _rule_entry(rule, rule.criterion.sufficient)
    return "\n".join(lines) + "\n"


def _answer(question: Question) -> str:
    if question.kind is AnswerKind.YES_NO:
        return "yes / no / don't know"
    return (
        f"whole number, {question.minimum} to {question.maximum} "
        f"{escape(question.unit or '')}"
    )


def render_question_catalogue(
    rules: RuleSet, questions: Iterable[Question] | None = None
) -> str:
    """
    The question catalogue, as reST, with the rules in *rules* that read
    each question and the level each red flag escalates to on its own.
    """
    if questions is None:
        questions = QUESTIONS.values()
    red_flags = rules.red_flags
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 25 45 30",
        "",
        "   * - Id and answer",
        "     - Question, as a person is asked it",
        "     - Read by rules",
    ]
    for question in questions:
        readers = [
            f":rule:`{r.id}`"
            for r in rules
            if question.id in r.criterion.questions
        ]
        flag = red_flags.get(question.id)
        flag_note = (
            [f"       **Red flag:** {_level(flag)} on its own.", ""]
            if flag
            else []
        )
        lines += [
            f"   * - .. question:: {question.id}",
            "",
            f"       ``{question.id}``",
            "",
            f"       *{_answer(question)}*",
            f"     - {escape(question.text)}",
            "",
            f"       Short label: {escape(question.label)}",
            "     - " + (", ".join(readers) if readers else "(none)"),
            "",
            *flag_note,
        ]
    return "\n".join(lines) + "\n"


def _load(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


class _Catalogue(SphinxDirective):
    has_content = False
    optional_arguments = 0
    option_spec: ClassVar[dict[str, Any]] = {"rules": directives.unchanged}

    def rule_set(self) -> RuleSet:
        rules = _load(self.options.get("rules", "spasmcare.DEFAULT_RULES"))
        if not isinstance(rules, RuleSet):
            msg = f"{self.name}: :rules: must name a RuleSet"
            raise self.error(msg)
        # Rebuild this page whenever the package's source changes.
        for path in Path(spasmcare.__file__).parent.glob("*.py"):
            self.env.note_dependency(str(path))
        self.env.note_dependency(__file__)
        return rules

    def render(self) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes(
            self.render(), allow_section_headings=True
        )


class RuleCatalogue(_Catalogue):
    """
    ``.. rule-catalogue::`` with an optional ``:rules: dotted.name``.
    """

    def render(self) -> str:
        return render_rule_catalogue(self.rule_set())


class QuestionCatalogue(_Catalogue):
    """
    ``.. question-catalogue::`` with an optional ``:rules: dotted.name``.
    """

    def render(self) -> str:
        return render_question_catalogue(self.rule_set())


#: Where the examples live, from the docs folder.
EXAMPLES = Path(__file__).parent.parent.parent / "examples"


def example_output(name: str) -> str:
    """
    Run ``examples/<name>`` as a script, with no arguments, and return
    what it printed.

    A script that exits with ``SystemExit`` (a status) still counts;
    any other exception propagates.
    """
    path = EXAMPLES / name
    out = io.StringIO()
    argv = sys.argv
    sys.argv = [str(path)]
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv
    return out.getvalue()


class ExampleOutput(SphinxDirective):
    """
    ``.. example-output:: NAME.py``: what ``examples/NAME.py`` prints.
    """

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if not (EXAMPLES / name).is_file():
            msg = f"example-output: no such example: {name}"
            raise self.error(msg)
        self.env.note_dependency(str(EXAMPLES / name))
        text = example_output(name).rstrip("\n")
        block = nodes.literal_block(text, text, language="text")
        self.set_source_info(block)
        return [block]


def cli_help(*command: str) -> str:
    """
    What ``spasmcare COMMAND --help`` prints, 79 columns wide.

    The package's own folder is shown as ``.../spasmcare``,
    so that no build machine's paths end up in the docs.
    """
    from spasmcare import cli  # noqa: PLC0415 (only when asked for)

    out = io.StringIO()
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "79"
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            cli.main([*command, "--help"])
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns
    package = str(Path(spasmcare.__file__).parent)
    return out.getvalue().replace(package, ".../spasmcare")


class CliHelp(SphinxDirective):
    """
    ``.. cli-help:: [COMMAND]``: the help of ``spasmcare [COMMAND]``.
    """

    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        command = self.arguments[:1]
        prompt = " ".join(["$ spasmcare", *command, "--help"])
        text = prompt + "\n" + cli_help(*command).rstrip("\n")
        block = nodes.literal_block(text, text, language="console")
        self.set_source_info(block)
        return [block]


def public_name(target: str) -> str | None:
    """
    The public spelling of *target*, a name under a private module.

    ``spasmcare._model.Assessment.answer`` becomes
    ``spasmcare.Assessment.answer``; anything else gives ``None``.
    """
    match = re.match(r"spasmcare\._[a-z_]+\.(.+)\Z", target)
    if match is None:
        return None
    rest = match.group(1)
    if rest.split(".")[0] not in spasmcare.__all__:
        return None
    return f"spasmcare.{rest}"


def _resolve_public(
    app: Sphinx,
    env: BuildEnvironment,
    node: pending_xref,
    contnode: nodes.TextElement,
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target = public_name(node["reftarget"])
    if target is None:
        return None
    domain = env.domains.python_domain
    node["reftarget"] = target
    return domain.resolve_xref(
        env,
        node["refdoc"],
        app.builder,
        node["reftype"],
        target,
        node,
        contnode,
    )


#: The hazard log, one record a hazard.
HAZARD_LOG = Path(__file__).parent.parent / "safety" / "hazard-log.toml"


def load_hazard_log(path: Path = HAZARD_LOG) -> list[dict[str, Any]]:
    """
    The hazard records of *path*.
    """
    with path.open("rb") as file:
        records: list[dict[str, Any]] = tomllib.load(file)["hazard"]
    return records


def render_hazard_log(records: list[dict[str, Any]]) -> str:
    """
    The hazard log as reST: one entry per hazard, with its controls and the
    tests that verify them.
    """
    lines: list[str] = []
    for record in records:
        lines += _heading(f"{record['id']}: {record['hazard']}", "-")
        controls = [f":rule:`{rule}`" for rule in record["rules"]]
        controls += [escape(choice) for choice in record["design"]]
        lines += [
            f"**Cause:** {escape(record['cause'])}",
            "",
            f"**Severity:** {escape(record['severity'])}",
            "",
            "**Controls:**",
            "",
            *(f"- {control}" for control in controls),
            "",
            "**Verified by:**",
            "",
            *(f"- ``{test}``" for test in record["tests"]),
            "",
        ]
    return "\n".join(lines) + "\n"


class HazardLog(SphinxDirective):
    """
    ``.. hazard-log::``: the hazard log, from its TOML file.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(HAZARD_LOG))
        return self.parse_text_to_nodes(
            render_hazard_log(load_hazard_log()), allow_section_headings=True
        )


def setup(app: Sphinx) -> dict[str, Any]:
    """
    Register the directives, cross-reference types and resolver.
    """
    app.add_crossref_type(
        "rule",
        "rule",
        indextemplate="pair: %s; rule",
        ref_nodeclass=nodes.literal,
        objname="rule",
    )
    app.add_crossref_type(
        "question",
        "question",
        indextemplate="pair: %s; question",
        ref_nodeclass=nodes.literal,
        objname="question",
    )
    app.add_directive("rule-catalogue", RuleCatalogue)
    app.add_directive("question-catalogue", QuestionCatalogue)
    app.add_directive("example-output", ExampleOutput)
    app.add_directive("cli-help", CliHelp)
    app.add_directive("hazard-log", HazardLog)
    app.connect("missing-reference", _resolve_public)
    return {
        "version": spasmcare.__version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
