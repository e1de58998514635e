# SPDX-License-Identifier: MIT
"""
The ``spasmcare`` command: assess a JSON file, run an interview in the
terminal, score a file of records, list the rules, print the JSON Schemas.

Exit statuses:

=====  ==============================================================
0      Success.
1      The interview ended (end of input) before it was finished,
       ``schema --check`` found a stale schema file,
       or ``batch`` rejected some records (see its rejects file).
2      Bad usage: an unknown command or option, or a file format
       whose extra is not installed.
65     Bad input data: not JSON, or not a valid assessment
       (``EX_DATAERR`` in ``sysexits.h``);
       for ``batch``, a file that is not of its format.
66     The input cannot be read: a missing file, a directory, or
       standard input closed (``EX_NOINPUT``).
69     ``serve``: the ``service`` extra is not installed
       (``EX_UNAVAILABLE``).
73     An output file cannot be created: ``schema --write`` with
       ``--dir`` a file, or ``batch``'s output (``EX_CANTCREAT``).
74     The output cannot be written: standard output closed, a broken
       pipe, or a full disk (``EX_IOERR``).
78     ``serve``: the configuration file is not valid (``EX_CONFIG``).
130    Interrupted (Ctrl-C).
=====  ==============================================================

On a terminal that cannot show a character of the advice (such as "°"
on an ASCII terminal) the character is replaced, and JSON output is
written with ``\\uXXXX`` escapes, so the output is never lost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import attrs

from . import __version__, _batchcli
from ._careplan import CarePlan
from ._catalogue import DEFAULT_RULES
from ._evaluate import Escalation, evaluate
from ._findings import QUESTIONS, AnswerKind
from ._i18n import N_
from ._interview import Interview, Prompt
from ._json import dump_report, load_assessment
from ._model import Answer, Assessment
from ._plan import plan_care
from ._region import REGIONS, Region
from ._schema import SCHEMA_NAMES, json_schema
from ._urgency import Urgency
from .exceptions import InvalidJSONError, InvalidValueError

__all__ = [
    "EXIT_CANT_CREATE",
    "EXIT_CONFIG",
    "EXIT_DATA_ERROR",
    "EXIT_INCOMPLETE",
    "EXIT_INTERRUPTED",
    "EXIT_IO_ERROR",
    "EXIT_NO_INPUT",
    "EXIT_OK",
    "EXIT_UNAVAILABLE",
    "EXIT_USAGE",
    "main",
]

EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_USAGE = 2
EXIT_DATA_ERROR = 65
EXIT_NO_INPUT = 66
EXIT_UNAVAILABLE = 69
EXIT_CANT_CREATE = 73
EXIT_IO_ERROR = 74
EXIT_CONFIG = 78
EXIT_INTERRUPTED = 130

#: At most this many problems are listed for one input.
_MAX_PROBLEMS = 20
_WIDTH = 79
#: The committed copies of the schemas.
SCHEMA_DIR = Path(__file__).with_name("schemas")

_YES = frozenset(("y", "yes"))
_NO = frozenset(("n", "no", "none", "none of these"))
_DONT_KNOW = frozenset(
    (
        "?",
        "d",
        "dk",
        "don't know",
        "dont know",
        "don’t know",
        "unknown",
        "not sure",
    )
)

_LEVEL_NAMES = {
    Urgency.SELF_CARE: "SELF-CARE",
    Urgency.ROUTINE: "SEE A DOCTOR (ROUTINE)",
    Urgency.URGENT: "SEE A DOCTOR TODAY (URGENT)",
    Urgency.EMERGENCY: "EMERGENCY DEPARTMENT NOW",
    Urgency.AMBULANCE: "CALL AN AMBULANCE NOW",
}


class _Exit(Exception):  # noqa: N818 (control flow, not an error)
    def __init__(self, status: int) -> None:
        self.status = status


class _Parser(argparse.ArgumentParser):
    """
    An argument parser that returns its exit status instead of exiting.
    """

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message, sys.stderr)
        raise _Exit(status)


def _parser() -> _Parser:
    parser = _Parser(
        prog="spasmcare",
        description=(
            "Decision support for back spasm and acute low back pain: "
            "red-flag escalation and a self-care plan. "
            "Not a diagnosis."
        ),
        epilog=(
            "Exit status: 0 success; 1 interview not finished, stale "
            "schema or records rejected; 2 bad usage; 65 invalid input "
            "data; 66 input cannot be read; 69 service extra missing; "
            "73 output file cannot be created; 74 output cannot be "
            "written; 78 invalid configuration; 130 interrupted."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"spasmcare {__version__}"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )

    assess = commands.add_parser(
        "assess",
        help="assess a JSON file of answers",
        description=(
            "Read an assessment (JSON; see `spasmcare schema`) and print "
            "the escalation and the care plan."
        ),
    )
    assess.add_argument(
        "file", metavar="FILE", help="a JSON file, or - for standard input"
    )
    _format_option(assess)
    assess.add_argument(
        "--ics",
        type=Path,
        metavar="FILE",
        help="also write the care plan's reminders to FILE as an iCalendar "
        "(needs spasmcare[ical])",
    )
    assess.add_argument(
        "--tz",
        default="UTC",
        help="the time zone of the reminders, such as Europe/London "
        "(default: %(default)s)",
    )

    interview = commands.add_parser(
        "interview",
        help="answer the questions in the terminal",
        description=(
            "Ask the questions one at a time, safety questions first, "
            "then print the result. Answer yes, no or don't know "
            "(y / n / ?), or a number where one is asked."
        ),
    )
    _format_option(interview)

    _batchcli.add_parser(commands)

    commands.add_parser(
        "rules",
        help="list the rule catalogue",
        description="List every rule: id, level, title and sources.",
    )

    schema = commands.add_parser(
        "schema",
        help="print a JSON Schema",
        description="Print the JSON Schema (2020-12) of a document.",
    )
    schema.add_argument(
        "name",
        nargs="?",
        default="assessment",
        choices=SCHEMA_NAMES,
        help="which document (default: assessment, the input)",
    )
    action = schema.add_mutually_exclusive_group()
    action.add_argument(
        "--write",
        action="store_true",
        help="write every schema into --dir instead of printing one",
    )
    action.add_argument(
        "--check",
        action="store_true",
        help="check that the schemas in --dir are up to date",
    )
    schema.add_argument(
        "--dir",
        type=Path,
        default=SCHEMA_DIR,
        help="where the committed schemas are (default: %(default)s)",
    )
    _serve_parser(commands)
    fhir = commands.add_parser(
        "fhir",
        help="print or check the FHIR artefacts (needs spasmcare[fhir])",
        description=(
            "Print the FHIR R4 Questionnaire or the knowledge Bundle "
            "(PlanDefinition, Library), or write or check the committed "
            "copies."
        ),
    )
    fhir.add_argument(
        "name",
        nargs="?",
        default="questionnaire",
        choices=("questionnaire", "knowledge-bundle"),
        help="which artefact (default: questionnaire)",
    )
    fhir_action = fhir.add_mutually_exclusive_group()
    fhir_action.add_argument(
        "--write", action="store_true", help="write every artefact into --dir"
    )
    fhir_action.add_argument(
        "--check",
        action="store_true",
        help="check that the artefacts in --dir are up to date",
    )
    fhir.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where the committed artefacts are (default: the package's)",
    )
    _audit_parser(commands)
    return parser


def _serve_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the web service (needs spasmcare[service])",
        description=(
            "Serve the web interview (/interview) and the other endpoints "
            "of spasmcare.service with uvicorn until interrupted."
        ),
    )
    serve.add_argument(
        "--host",
        help="address to listen on (default: the file's, else 127.0.0.1)",
    )
    serve.add_argument(
        "--port",
        type=int,
        help="TCP port (default: the file's, else 8080; 0: any free port)",
    )
    serve.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="a TOML configuration file (see the web interview how-to)",
    )


def _audit_parser(commands: Any) -> None:
    audit = commands.add_parser(
        "audit",
        help="read the service's decision audit log",
        description="Read the decision audit log of `spasmcare serve`.",
    )
    actions = audit.add_subparsers(
        dest="audit_command", required=True, metavar="ACTION"
    )
    export = actions.add_parser(
        "export",
        help="write the decisions as JSON lines",
        description=(
            "Write every decision (with its cards and their feedback) as "
            "one JSON object a line, oldest first."
        ),
    )
    export.add_argument(
        "--db",
        type=Path,
        default=Path("spasmcare-audit.sqlite3"),
        help="the audit database (default: %(default)s)",
    )
    export.add_argument(
        "--since",
        metavar="TIME",
        help="only decisions from this time on (ISO 8601, such as "
        "2026-12-01 or 2026-12-01T09:00:00Z; UTC when no offset is given)",
    )


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--region",
        choices=sorted(REGIONS),
        default="uk",
        help="whose emergency number and services to name (default: uk; "
        "us 911, eu 112, au 000)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "fhir"),
        default="text",
        help="text for a person (default), json (`spasmcare schema "
        "report`), or fhir (a FHIR R4 guidance Bundle; needs "
        "spasmcare[fhir])",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the ``spasmcare`` command.

    Args:
        argv: The arguments, without the program name;
            ``sys.argv[1:]`` when ``None``.

    Returns:
        The exit status (see the module docstring).

    .. versionadded:: 0.1.0
    """
    if sys.stdout is None or sys.stdout.closed:
        _error("standard output is closed; nothing can be written")
        return EXIT_IO_ERROR
    _tolerate_encoding(sys.stdout)
    _tolerate_encoding(sys.stderr)
    try:
        args = _parser().parse_args(argv)
        command: Callable[[argparse.Namespace], int] = _COMMANDS[args.command]
        status = command(args)
        sys.stdout.flush()  # a full disk or a broken pipe shows here
    except _Exit as done:
        return done.status
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        _error("interrupted")
        return EXIT_INTERRUPTED
    except OSError as error:  # writing failed: broken pipe, disk full
        _error(f"cannot write the output: {error.strerror or error}")
        _discard_output()
        return EXIT_IO_ERROR
    return status


def _tolerate_encoding(stream: TextIO | None) -> None:
    """
    Replace what the terminal's encoding cannot show, instead of failing.
    """
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")


def _discard_output() -> None:
    """
    Point standard output at the null device, so that the interpreter's
    last flush of what could not be written fails quietly.
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's stream)
        return


def _error(*parts: str) -> None:
    if sys.stderr is None:  # closed too: the exit status says it all
        return
    try:
        sys.stderr.write(" ".join(("spasmcare:", *parts)) + "\n")
    except (OSError, ValueError):  # closed or full: nothing more to do
        return


# ----------------------------------------------------------- assess ---


def _assess(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        if args.file == "-":
            data = _stdin().buffer.read()
        else:
            data = Path(args.file).read_bytes()
    except OSError as error:
        _error(f"{name}: cannot read: {error.strerror or error}")
        return EXIT_NO_INPUT
    except _ClosedInputError:
        _error(f"{name}: cannot read: standard input is closed")
        return EXIT_NO_INPUT
    try:
        assessment = load_assessment(data)
    except InvalidJSONError as error:
        shown = error.problems[:_MAX_PROBLEMS]
        for path, message in shown:
            _error(f"{name}: {path}: {message}")
        if len(error.problems) > len(shown):
            _error(f"{name}: ... and {len(error.problems) - len(shown)} more")
        _error("the expected format is printed by `spasmcare schema`")
        return EXIT_DATA_ERROR
    try:
        _report(assessment, args.format, sys.stdout, REGIONS[args.region])
        if args.ics is not None:
            _calendar(assessment, args.ics, args.tz)
    except ImportError as error:
        _error(str(error))
        return EXIT_USAGE
    except InvalidValueError as error:
        _error(str(error))
        return EXIT_DATA_ERROR
    return EXIT_OK


class _ClosedInputError(Exception):
    """
    Standard input is closed (or was never open).
    """


def _stdin() -> TextIO:
    """
    Standard input.

    Raises:
        _ClosedInputError: It is closed.
    """
    if sys.stdin is None or getattr(sys.stdin, "closed", False):
        raise _ClosedInputError
    return sys.stdin


def _report(
    assessment: Assessment, fmt: str, out: TextIO, region: Region
) -> None:
    # The clock is read once, here at the face; the evaluator never reads it.
    created_at = dt.datetime.now(dt.UTC)
    escalation = evaluate(assessment)
    plan = plan_care(assessment, escalation, region=region)
    if fmt == "json":
        report = dump_report(escalation, plan, created_at=created_at)
        out.write(_json_text(report, ascii_only=not _is_unicode(out)))
    elif fmt == "fhir":
        from .fhir import guidance_bundle, response_from_assessment  # noqa: PLC0415

        bundle = guidance_bundle(
            escalation,
            plan,
            subject="Patient/unknown",
            response=response_from_assessment(assessment),
        )
        out.write(
            _json_text(
                json.loads(bundle.model_dump_json()),
                ascii_only=not _is_unicode(out),
            )
        )
    else:
        out.write(render(escalation, plan))


def _calendar(assessment: Assessment, path: Path, tz: str) -> None:
    import zoneinfo  # noqa: PLC0415

    from .ical import care_plan_calendar  # noqa: PLC0415

    escalation = evaluate(assessment)
    try:
        zone = zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError("--tz", tz, "not a known time zone") from None
    calendar = care_plan_calendar(
        plan_care(assessment, escalation),
        dt.datetime.now(zone).replace(second=0, microsecond=0),
        zone,
        rules=escalation.rule_set,
        episode_day=assessment.duration_days or 0,
    )
    path.write_bytes(calendar.to_ical())


def _json_text(document: Any, *, ascii_only: bool = False) -> str:
    return json.dumps(document, indent=2, ensure_ascii=ascii_only) + "\n"


def _is_unicode(out: TextIO) -> bool:
    """
    Whether *out* can write any character (a UTF encoding).
    """
    encoding = getattr(out, "encoding", None) or "utf-8"
    return encoding.lower().replace("-", "").startswith("utf")


# ----------------------------------------------------------- render ---


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def render(escalation: Escalation, plan: CarePlan) -> str:
    """
    The escalation and the care plan as text for a person to read.

    The person's part first (what to do, why, the plan, the warning signs
    for the level), then the clinician's (rule titles and sources), then
    the warning signs checked and found absent.
    """
    lines = [
        f"Result: {_LEVEL_NAMES[escalation.level]}",
        _wrap(plan.action or escalation.action, "  ", "What to do: "),
        _wrap(escalation.timeframe, "  ", "When: "),
    ]
    if plan.reasons:
        lines += ["", "Why:"]
        lines.extend(
            _wrap(reason.text, "    ", "  - ") for reason in plan.reasons
        )
    # At emergency levels a list of open questions would only delay care.
    if escalation.unanswered and escalation.level < Urgency.EMERGENCY:
        lines += [
            "",
            _wrap(
                "Not answered yet (answering may change this advice): "
                + "; ".join(QUESTIONS[q].label for q in escalation.unanswered)
                + "."
            ),
        ]
    lines += ["", "Care plan:", *_steps(plan)]
    if plan.prevention:  # none at emergency levels: it can wait
        lines += ["", "To lower the chance of another episode:"]
        lines.extend(_wrap(tip, "    ", "  - ") for tip in plan.prevention)
    lines += _safety_net(plan)
    if escalation.fired:
        lines += ["", "For a clinician (the rules that fired, and sources):"]
        for fired in escalation.fired:
            lines.append(_wrap(fired.rule.title, "    ", "  - "))
            sources = " ".join(str(c) for c in fired.citations)
            lines.append(_wrap(f"Sources: {sources}", "      ", "    "))
    if plan.ruled_out:
        lines += [
            "",
            _wrap(
                "We checked for these warning signs, and you said you do "
                "not have them: "
                + "; ".join(n.label for n in plan.ruled_out)
                + "."
            ),
        ]
    rules = escalation.rule_set
    lines += [
        "",
        _wrap(plan.notice),
        f"Rules: {rules.id} {rules.version} (sha256 {rules.digest[:12]})",
    ]
    return "\n".join(lines) + "\n"


def _steps(plan: CarePlan) -> list[str]:
    lines = []
    for number, step in enumerate(plan.steps, 1):
        phase = step.phase.value.replace("_", " ")
        lines.append(
            _wrap(f"{step.title} ({phase})", "     ", f"  {number}. ")
        )
        # A referral's instructions repeat its title: say it once.
        instructions = step.instructions.removeprefix(step.title).strip()
        lines.append(_wrap(instructions, "     "))
        if step.timing:
            lines.append(_wrap(f"When: {step.timing}", "     "))
        lines.extend(
            _wrap(f"Caution: {caution}", "       ", "     ")
            for caution in step.cautions
        )
    return lines


#: The heading of each tier of the safety net.
_TIER_HEADINGS = (
    (
        "emergency",
        N_("Call {emergency_number} or go to {emergency_department} now if:"),
    ),
    ("same_day", N_("See a doctor today if:")),
    ("see_doctor", N_("Book a doctor's appointment if:")),
)


def _safety_net(plan: CarePlan) -> list[str]:
    net = plan.safety_net
    lines = []
    for name, heading in _TIER_HEADINGS:
        signs: tuple[str, ...] = getattr(net, name)
        if signs:
            lines += ["", _wrap(plan.region.fill(heading))]
            lines.extend(_wrap(sign, "    ", "  - ") for sign in signs)
    if plan.level < Urgency.EMERGENCY:  # the interim step says it there
        lines += ["", _wrap(net.if_worse)]
    return lines


# -------------------------------------------------------- interview ---


def _interview(args: argparse.Namespace) -> int:
    # With --format json, standard output holds only the JSON.
    talk = sys.stderr if args.format == "json" else sys.stdout
    talk.write(
        _wrap(
            "Answer each question with yes, no or don't know (y / n / ?); "
            "type a number where one is asked. Press Ctrl-C to stop. "
            "This is decision support, not a diagnosis."
        )
        + "\n"
    )
    interview = Interview()
    count = 0
    try:
        while (prompt := interview.next_question()) is not None:
            count += 1
            interview = _ask(interview, prompt, count, talk)
    except _ClosedInputError:
        talk.write("\n")
        _error("cannot read: standard input is closed; no advice was given")
        return EXIT_NO_INPUT
    except EOFError:
        talk.write("\n")
        _error(
            "the interview stopped at the end of the input, before it was "
            "finished; no advice was given"
        )
        return EXIT_INCOMPLETE
    talk.write("\n")
    _report(
        interview.assessment, args.format, sys.stdout, REGIONS[args.region]
    )
    return EXIT_OK


def _read(talk: TextIO) -> str:
    talk.flush()
    line = _stdin().readline()
    if not line:
        raise EOFError
    return line.strip().lower()


def _ask(
    interview: Interview, prompt: Prompt, count: int, talk: TextIO
) -> Interview:
    talk.write("\n" + _wrap(prompt.text, "    ", f"{count:>2}. ") + "\n")
    if prompt.is_group:
        talk.writelines(
            _wrap(question.label, "        ", "      - ") + "\n"
            for question in prompt.questions
        )
    talk.write(_wrap(f"(Why we ask: {prompt.purpose})", "    ") + "\n")
    while True:
        if prompt.kind is AnswerKind.YES_NO:
            talk.write(
                "    yes / none of these / not sure > "
                if prompt.is_group
                else "    yes / no / don't know > "
            )
            reply = _read(talk)
            answer = _yes_no(reply)
            if answer is not None:
                return interview.answer(prompt.id, answer)
            talk.write(
                "    Please answer yes, none of these or not sure "
                "(y / n / ?).\n"
                if prompt.is_group
                else "    Please answer yes, no or don't know (y / n / ?).\n"
            )
            continue
        talk.write(f"    number ({prompt.unit}) or ? > ")
        reply = _read(talk)
        try:
            return interview.answer(prompt.id, _number(reply))
        except ValueError as error:
            reason = (
                error.reason
                if isinstance(error, InvalidValueError)
                else "is not a whole number"
            )
            talk.write(
                f"    {reply!r} {reason}; type a whole number, "
                "or ? if you don't know.\n"
            )


def _yes_no(reply: str) -> Answer | None:
    if reply in _YES:
        return Answer.PRESENT
    if reply in _NO:
        return Answer.ABSENT
    if reply in _DONT_KNOW:
        return Answer.UNKNOWN
    return None


def _number(reply: str) -> int | None:
    if reply in _DONT_KNOW:
        return None
    return int(reply)


# ------------------------------------------------------------ rules ---


def _rules(_: argparse.Namespace) -> int:
    rules = DEFAULT_RULES
    out = [
        (
            f"{rules.id} {rules.version}: {len(rules)} rules "
            f"(sha256 {rules.digest})"
        ),
    ]
    for rule in rules:
        level = rule.urgency.name.lower().replace("_", " ")
        out += [
            "",
            f"{rule.id} [{level}]",
            _wrap(rule.title, "    "),
            _wrap(
                "Sources: " + " ".join(str(c) for c in rule.citations),
                "      ",
                "    ",
            ),
        ]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


# ----------------------------------------------------------- schema ---


def schema_text(name: str) -> str:
    """
    The JSON Schema *name* as it is committed: indented, with a newline.
    """
    return _json_text(json_schema(name))


def _schema(args: argparse.Namespace) -> int:
    directory: Path = args.dir
    if not (args.write or args.check):
        sys.stdout.write(schema_text(args.name))
        return EXIT_OK
    stale = []
    for name in SCHEMA_NAMES:
        path = directory / f"{name}.schema.json"
        text = schema_text(name)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current == text:
            continue
        stale.append(path)
        if args.write:
            try:
                directory.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            except OSError as error:
                _error(f"{path}: cannot write: {error.strerror or error}")
                return EXIT_CANT_CREATE
    verb = "wrote" if args.write else "stale"
    for path in stale:
        _error(f"{verb}: {path}")
    if stale and args.check:
        _error("regenerate with: python -m spasmcare schema --write")
        return EXIT_INCOMPLETE
    return EXIT_OK


# ------------------------------------------------------------ serve ---


def _serve(args: argparse.Namespace) -> int:
    try:
        from . import service  # noqa: PLC0415 (an optional extra)
    except ImportError as error:
        _error(str(error))
        return EXIT_UNAVAILABLE
    try:
        config = (
            service.ServiceConfig()
            if args.config is None
            else service.load_config(args.config)
        )
        overrides = {
            name: value
            for name, value in (("host", args.host), ("port", args.port))
            if value is not None
        }
        config = attrs.evolve(config, **overrides)
    except OSError as error:
        _error(f"{args.config}: cannot read: {error.strerror or error}")
        return EXIT_CONFIG
    except InvalidValueError as error:
        _error(str(error))
        return EXIT_CONFIG
    service.serve(config)
    return EXIT_OK


def _fhir(args: argparse.Namespace) -> int:
    try:
        from .fhir import ARTEFACT_DIR, ARTEFACTS, artefact_text  # noqa: PLC0415
    except ImportError as error:
        _error(str(error))
        return EXIT_USAGE
    if not (args.write or args.check):
        sys.stdout.write(artefact_text(f"{args.name}.json"))
        return EXIT_OK
    directory: Path = args.dir or ARTEFACT_DIR
    stale = []
    for name in ARTEFACTS:
        path = directory / name
        text = artefact_text(name)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current == text:
            continue
        stale.append(path)
        if args.write:
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "wrote" if args.write else "stale"
    for path in stale:
        _error(f"{verb}: {path}")
    if stale and args.check:
        _error("regenerate with: python -m spasmcare fhir --write")
        return EXIT_INCOMPLETE
    return EXIT_OK


# ------------------------------------------------------------ audit ---


def _audit(args: argparse.Namespace) -> int:
    from .service._export import export_audit  # noqa: PLC0415 (an extra)

    return export_audit(args.db, args.since, sys.stdout, _error)


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "assess": _assess,
    "audit": _audit,
    "batch": _batchcli.run,
    "fhir": _fhir,
    "interview": _interview,
    "rules": _rules,
    "schema": _schema,
    "serve": _serve,
}
