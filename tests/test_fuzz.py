# SPDX-License-Identifier: MIT
"""
The fuzz suite (issue 15, part 3): every loader, attacked the same ways.

Each face that reads documents from outside registers in :data:`LOADERS`
(a new face joins by adding one entry): how it loads a parsed document,
how it loads text when it takes text, the errors it documents, valid
documents to start mutating from, and how it writes a loaded value back.
Every loader then gets the same attacks:

- any JSON value at all;
- a valid document with parts of its tree replaced, dropped or added;
- a valid document's JSON text with characters deleted, inserted or
  replaced, and arbitrary bytes;
- the round trip: a valid document loads, and dumps back to itself (an
  unknown answer never becomes "no").

A loader either loads or raises one of its documented errors: never
another exception, never a half-built value. Where a JSON Schema is
published for the input, what the loader accepts validates against it.

The service's bodies get the same attacks over HTTP, on a real server
on 127.0.0.1: any status but a 5xx, and a JSON error body that names a
path for every 400. The console script reads hostile standard input
with its documented exit statuses and no traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spasmcare.fhir as sf
from spasmcare import (
    Assessment,
    InvalidJSONError,
    dump_assessment,
    dump_interview,
    load_assessment,
    load_interview,
)
from spasmcare.cli import EXIT_DATA_ERROR, EXIT_INCOMPLETE, EXIT_OK, main
from spasmcare.exceptions import SpasmcareError

from .servers import running_server
from .strategies import assessments, json_values
from .test_interview_state import interviews
from .test_schema import VALIDATORS


def _fhir_dump(assessment: Assessment) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        sf.response_from_assessment(assessment).model_dump_json()
    )
    return document


@attrs.frozen
class Loader:
    """
    One face's reader of outside documents.

    Attributes:
        name: The face, for test ids.
        load: Reads a parsed JSON document.
        load_text: Reads JSON text (str or bytes).
        errors: The exceptions it documents for a bad document.
        valid: Valid documents (parsed JSON).
        dump: Writes a loaded value back as a document.
        schema: The published JSON Schema of the input, if any.
    """

    name: str
    load: Callable[[Any], Any]
    load_text: Callable[[str | bytes], Any]
    errors: tuple[type[Exception], ...]
    valid: st.SearchStrategy[dict[str, Any]]
    dump: Callable[[Any], dict[str, Any]]
    schema: str | None = None


LOADERS = (
    Loader(
        name="assessment",
        load=load_assessment,
        load_text=load_assessment,
        errors=(InvalidJSONError,),
        valid=assessments().map(dump_assessment),
        dump=dump_assessment,
        schema="assessment",
    ),
    Loader(
        name="interview-state",
        load=load_interview,
        load_text=load_interview,
        # (RuleSetMismatchError is an InvalidJSONError too.)
        errors=(InvalidJSONError,),
        valid=interviews().map(dump_interview),
        dump=dump_interview,
        schema="interview-state",
    ),
    Loader(
        name="fhir-questionnaire-response",
        load=sf.assessment_from_response,
        load_text=sf.assessment_from_response_json,
        # UnknownFindingError, InvalidTypeError and InvalidValueError are
        # documented besides InvalidResourceError: the library's own.
        errors=(SpasmcareError,),
        valid=assessments().map(_fhir_dump),
        dump=_fhir_dump,
    ),
)
BY_NAME = {loader.name: loader for loader in LOADERS}
_IDS = [loader.name for loader in LOADERS]


def _outcome(loader: Loader, read: Callable[[], Any]) -> Any | None:
    """
    What *read* gives, or None when it raised one of *loader*'s errors.

    Any other exception fails the test (it propagates).
    """
    try:
        return read()
    except loader.errors:
        return None


# ---------------------------------------------------------- mutations ---

_Path = tuple[str | int, ...]


def _paths(value: Any, path: _Path = ()) -> Iterator[_Path]:
    """
    Every node's path in a JSON tree, the root first.
    """
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replace(value: Any, path: _Path, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {
            k: _replace(v, rest, new) if k == head else v
            for k, v in value.items()
        }
    return [
        _replace(v, rest, new) if i == head else v for i, v in enumerate(value)
    ]


def _drop(value: Any, path: _Path) -> Any:
    """
    *value* without the node at *path* (not the root): its parent
    replaced by a copy that lacks it.
    """
    parent, last = _at(value, path[:-1]), path[-1]
    if isinstance(parent, dict):
        kept: Any = {k: v for k, v in parent.items() if k != last}
    else:
        kept = [v for i, v in enumerate(parent) if i != last]
    return _replace(value, path[:-1], kept)


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> Any:
    """
    A valid document with one to four nodes replaced, dropped or added.
    """
    document = draw(documents)
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(document))
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "drop", "add"]))
        if kind == "drop" and path:
            document = _drop(document, path)
        elif kind == "add":
            # A new key (or item) beside *path*'s node, or inside it.
            here = (
                path
                if isinstance(_at(document, path), dict | list)
                else path[:-1]
            )
            node = _at(document, here)
            if isinstance(node, dict):
                key = draw(st.text(max_size=12))
                document = _replace(
                    document, here, node | {key: draw(json_values())}
                )
            elif isinstance(node, list):
                document = _replace(
                    document, here, [*node, draw(json_values())]
                )
        else:
            document = _replace(document, path, draw(json_values()))
    return document


def _at(value: Any, path: _Path) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated_text(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> str:
    """
    A valid document's JSON text with one to six characters deleted,
    inserted or replaced.
    """
    text = json.dumps(draw(documents))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "replace"]))
        char = draw(st.sampled_from('{}[]:,"\\0-1e.tfn ') | st.characters())
        if kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "insert":
            text = text[:at] + char + text[at:]
        else:
            text = text[:at] + char + text[at + 1 :]
    return text


# ------------------------------------------------------------ loaders ---


@pytest.mark.parametrize("name", _IDS)
class TestEveryLoader:
    """
    The same attacks on every loader.
    """

    @given(data=st.data())
    def test_any_json_value(self, name: str, data: st.DataObject) -> None:
        """
        Any JSON value loads or gets a documented error.
        """
        loader = BY_NAME[name]
        value = data.draw(json_values())

        _outcome(loader, lambda: loader.load(value))

    @given(data=st.data())
    def test_mutated_documents(self, name: str, data: st.DataObject) -> None:
        """
        A valid document with parts replaced, dropped or added loads or
        gets a documented error; what loads dumps to a valid document, and
        validates against the published schema.
        """
        loader = BY_NAME[name]
        document = data.draw(mutated(loader.valid))

        loaded = _outcome(loader, lambda: loader.load(document))

        if loaded is not None:
            again = loader.dump(loaded)
            assert again == loader.dump(loader.load(again))
            if loader.schema is not None:
                assert VALIDATORS[loader.schema].is_valid(document)

    @given(data=st.data())
    def test_mutated_text(self, name: str, data: st.DataObject) -> None:
        """
        Broken JSON text and arbitrary bytes load or get a documented
        error.
        """
        loader = BY_NAME[name]
        read = loader.load_text
        text = data.draw(mutated_text(loader.valid))
        raw = data.draw(st.binary(max_size=64))

        _outcome(loader, lambda: read(text))
        _outcome(loader, lambda: read(text.encode("utf-8", "surrogatepass")))
        _outcome(loader, lambda: read(raw))

    @given(data=st.data())
    def test_valid_documents_round_trip(
        self, name: str, data: st.DataObject
    ) -> None:
        """
        A valid document loads, from the parsed value and from its text
        alike, and dumps back to itself.
        """
        loader = BY_NAME[name]
        document = data.draw(loader.valid)

        loaded = loader.load(document)

        assert document == loader.dump(loaded)
        assert loaded == loader.load_text(json.dumps(document))
        if loader.schema is not None:
            assert VALIDATORS[loader.schema].is_valid(document)


# ------------------------------------------------------------ service ---


@attrs.frozen
class Body:
    """
    One of the service's endpoints that reads a JSON body.

    Attributes:
        path: Its path.
        valid: Valid bodies.
    """

    path: str
    valid: st.SearchStrategy[Any]


def _next_question(assessment: Assessment) -> dict[str, Any]:
    return {
        "resourceType": "Parameters",
        "parameter": [
            {
                "name": "questionnaire-response",
                "resource": _fhir_dump(assessment),
            }
        ],
    }


BODIES = (
    Body("/assess", assessments().map(dump_assessment)),
    Body("/interview/next", interviews().map(dump_interview)),
    Body("/Questionnaire/$next-question", assessments().map(_next_question)),
    Body(
        "/cds-services/spasmcare-back-pain",
        st.just({"hook": "patient-view", "hookInstance": "i", "context": {}}),
    ),
)


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[httpx.Client]:
    """
    The service (authentication off, on 127.0.0.1 only), and a client.
    """
    root = tmp_path_factory.mktemp("fuzz")
    config = root / "service.toml"
    audit = json.dumps(str(root / "audit.sqlite3"))
    config.write_text(f"[cds]\nauth = false\naudit_db = {audit}\n")
    with (
        running_server("--config", str(config)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client


def _check_answer(response: httpx.Response) -> None:
    """
    Not a server error; a 400 lists its problems, each with a path (as
    plain JSON problems, or as a FHIR OperationOutcome's issues).
    """
    assert response.status_code < 500, response.text[:500]
    if response.status_code == 400:
        answer = response.json()
        if answer.get("resourceType") == "OperationOutcome":
            paths = [issue["expression"][0] for issue in answer["issue"]]
        else:
            paths = [problem["path"] for problem in answer["problems"]]
        assert paths
        assert all(isinstance(p, str) and p for p in paths)


_HTTP = settings(
    max_examples=25,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.mark.parametrize("body", BODIES, ids=[b.path for b in BODIES])
class TestServiceBodies:
    """
    The same attacks on every endpoint that reads a JSON body, over HTTP.
    """

    @_HTTP
    @given(data=st.data())
    def test_mutated_bodies(
        self, service: httpx.Client, body: Body, data: st.DataObject
    ) -> None:
        """
        Mutated bodies and any JSON value: a 2xx or a 4xx, never a 5xx.
        """
        document = data.draw(mutated(body.valid) | json_values())

        _check_answer(service.post(body.path, json=document))

    @_HTTP
    @given(data=st.data())
    def test_broken_text(
        self, service: httpx.Client, body: Body, data: st.DataObject
    ) -> None:
        """
        Broken JSON text and arbitrary bytes: a 4xx (or a 2xx when the
        break left valid JSON), never a 5xx.
        """
        text = data.draw(mutated_text(body.valid))
        raw = data.draw(st.binary(max_size=64))
        headers = {"Content-Type": "application/json"}

        _check_answer(
            service.post(
                body.path,
                content=text.encode("utf-8", "surrogatepass"),
                headers=headers,
            )
        )
        _check_answer(service.post(body.path, content=raw, headers=headers))


# ---------------------------------------------------------------- CLI ---


def _cli(argv: list[str], stdin: bytes) -> tuple[int, str, str]:
    """
    main(argv) in this process with *stdin*: status, stdout, stderr.
    """
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    finally:
        sys.stdin = saved
    return status, out.getvalue(), err.getvalue()


class TestCommandLine:
    """
    The console script reads hostile standard input with its documented
    exit statuses, and never a traceback.
    """

    @given(
        text=mutated_text(assessments().map(dump_assessment)),
        raw=st.binary(max_size=64),
        fmt=st.sampled_from(["text", "json", "fhir"]),
    )
    def test_assess_reads_anything(
        self, text: str, raw: bytes, fmt: str
    ) -> None:
        """
        ``assess -``: 0 with a report, or 65 with nothing on standard output.
        """
        for data in (text.encode("utf-8", "surrogatepass"), raw):
            status, out, err = _cli(["assess", "-", "--format", fmt], data)

            assert status in {EXIT_OK, EXIT_DATA_ERROR}
            assert (status == EXIT_OK) == bool(out)
            assert "Traceback" not in err

    @given(
        lines=st.lists(
            st.sampled_from(["y", "n", "?", "yes", "40", "-1", ""])
            | st.text(max_size=12).filter(lambda t: "\n" not in t),
            max_size=30,
        )
    )
    def test_interview_reads_anything(self, lines: list[str]) -> None:
        """
        ``interview``: any lines, finished (0) or not (1), never a crash.
        """
        data = "".join(f"{line}\n" for line in lines).encode(
            "utf-8", "surrogatepass"
        )

        status, _, err = _cli(["interview"], data)

        assert status in {EXIT_OK, EXIT_INCOMPLETE}
        assert "Traceback" not in err
