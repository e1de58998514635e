# SPDX-License-Identifier: MIT
"""
``spasmcare batch IN OUT``: score a file of records, streaming.

The records are read, scored (:class:`spasmcare.rows.Scorer`) and written
a chunk at a time, so memory stays flat however long the file is.
Every record gives one output row, in input order,
with its ``id`` and its 0-based ``index`` (as in
:func:`spasmcare.dump_batch_result`);
a record that cannot be read gets an ``error`` in its row
and a line in the rejects file (JSON lines: ``index``, the input
``line`` it starts on, ``id`` and the ``error`` object of
:func:`~spasmcare.dump_batch_result`).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from ._json import dump_error
from ._tables import (
    FORMATS,
    Chunk,
    FormatError,
    MissingExtraError,
    Reader,
    Writer,
    format_of,
    open_reader,
    open_writer,
)
from ._urgency import Urgency
from .rows import Scorer

__all__ = ["add_parser", "run"]

#: The exit statuses (the same as spasmcare.cli's).
OK = 0
REJECTED = 1
USAGE = 2
DATA_ERROR = 65
NO_INPUT = 66
CANT_CREATE = 73

#: Records per chunk.
CHUNK = 4096


def add_parser(commands: Any) -> None:
    """
    Add the ``batch`` command to the ``spasmcare`` parser's subcommands.
    """
    batch = commands.add_parser(
        "batch",
        help="score a file of records (JSON lines, CSV, Parquet)",
        description=(
            "Score every record of IN and write one result row per record "
            "to OUT, in order, streaming. JSON lines hold one assessment "
            "document per line (see `spasmcare schema`) with an optional "
            '"id"; CSV and Parquet hold one column per question (answers '
            "present / absent / unknown, or true / false, empty for "
            "unknown) and an optional id column. The format follows the file name (.jsonl, .csv, "
            ".parquet) unless --from / --to say. Exit status 0 when every "
            "record was scored, 1 when some were rejected (see the rejects "
            "file)."
        ),
    )
    batch.add_argument(
        "input", metavar="IN", help="the records, or - for standard input"
    )
    batch.add_argument(
        "output", metavar="OUT", help="the results, or - for standard output"
    )
    choices = tuple(FORMATS)
    batch.add_argument(
        "--from", dest="from_format", choices=choices, help="format of IN"
    )
    batch.add_argument(
        "--to", dest="to_format", choices=choices, help="format of OUT"
    )
    batch.add_argument(
        "--rejects",
        metavar="FILE",
        help=(
            "where to write the rejected records (default: OUT with "
            "the ending .rejects.jsonl; standard error when OUT is -)"
        ),
    )
    batch.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar, no summary",
    )


def _error(*parts: str) -> None:
    sys.stderr.write(" ".join(("spasmcare:", *parts)) + "\n")


def _format(
    given: str | None, name: str, what: str
) -> tuple[str | None, str | None]:
    """
    The format of *name* and, when it cannot be used, why.
    """
    fmt = given or (None if name == "-" else format_of(name))
    if fmt is None:
        endings = ", ".join(e for es in FORMATS.values() for e in es)
        return None, (
            f"cannot tell the format of {what} {name!r}: give --"
            f"{'from' if what == 'IN' else 'to'} (or a name ending in "
            f"{endings})"
        )
    if fmt == "parquet" and name == "-":
        return None, f"Parquet {what} must be a file, not -"
    return fmt, None


def _rejects_path(args: argparse.Namespace) -> str | None:
    if args.rejects:
        return str(args.rejects)
    if args.output == "-":
        return None
    return str(Path(args.output).with_suffix(".rejects.jsonl"))


class _Progress:
    """
    A progress bar on standard error, when that is a terminal.
    """

    def __init__(self, total: int | None, unit: str) -> None:
        from rich.console import Console  # noqa: PLC0415 (optional)
        from rich.progress import (  # noqa: PLC0415
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        counter = (
            MofNCompleteColumn()
            if unit == "rows"
            else TextColumn("{task.percentage:>3.0f}%")
        )
        self.bar = Progress(
            TextColumn("scoring"),
            BarColumn(),
            counter,
            TextColumn("{task.fields[rows]:,} rows"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
        )
        self.task = self.bar.add_task("scoring", total=total, rows=0)
        self.bar.start()

    def update(self, done: int, rows: int) -> None:
        self.bar.update(self.task, completed=done, rows=rows)

    def stop(self) -> None:
        self.bar.stop()


def _progress(
    args: argparse.Namespace, total: int | None, unit: str
) -> _Progress | None:
    if args.quiet or not sys.stderr.isatty():
        return None
    try:
        return _Progress(total, unit)
    except ImportError:  # rich is not installed: no bar
        return None


def _size(file: IO[bytes]) -> int | None:
    try:
        return os.fstat(file.fileno()).st_size or None
    except (OSError, ValueError):  # pragma: no cover (not a real file)
        return None


class _Run:
    """
    One batch: its files, counts and rejects.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.levels: collections.Counter[str] = collections.Counter()
        self.rejected = 0
        self.count = 0
        self.rejects: IO[str] | None = None
        self.rejects_path = _rejects_path(args)
        self.fmt_in = "jsonl"

    def reject(self, chunk: Chunk, index: int, error: Any) -> None:
        record = {
            "index": self.count + index,
            "line": chunk.lines[index],
            "id": chunk.ids[index],
            "error": dump_error(error),
        }
        out = self.rejects if self.rejects is not None else sys.stderr
        out.write(json.dumps(record) + "\n")
        self.rejected += 1

    def score(self, reader: Reader, writer: Writer, scorer: Scorer) -> None:
        unit = "rows" if self.fmt_in == "parquet" else "bytes"
        progress = _progress(self.args, reader.total, unit)
        try:
            for chunk in reader.chunks(CHUNK):
                results = scorer._results(chunk.items)  # noqa: SLF001
                writer.write(
                    chunk.ids,
                    range(self.count, self.count + len(chunk.items)),
                    results,
                )
                for index, level in enumerate(results["level"]):
                    if level is None:
                        self.reject(chunk, index, chunk.items[index])
                    else:
                        self.levels[level] += 1
                self.count += len(chunk.items)
                if progress is not None:
                    progress.update(chunk.done, self.count)
        finally:
            if progress is not None:
                progress.stop()

    def summary(self) -> None:
        scored = self.count - self.rejected
        where = (
            f" (see {self.rejects_path})"
            if self.rejects_path is not None
            else ""
        )
        lines = [
            (
                f"scored {scored:,} of {self.count:,} records; "
                f"rejected {self.rejected:,}{where if self.rejected else ''}"
            ),
        ]
        width = max(len(u.value) for u in Urgency)
        lines.extend(
            f"  {level.value:<{width}} {self.levels[level.value]:>12,}"
            for level in reversed(Urgency)
        )
        sys.stderr.write("\n".join(lines) + "\n")


class _Stop(Exception):  # noqa: N818 (control flow, not an error)
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


def _open(name: str, mode: str, files: contextlib.ExitStack) -> IO[bytes]:
    """
    *name* opened in binary *mode*; standard input or output for ``-``.
    """
    if name == "-":
        stream = sys.stdin if mode == "rb" else sys.stdout
        # Never closed; flushed when the batch ends.
        files.callback(stream.buffer.flush)
        return stream.buffer
    try:
        return files.enter_context(Path(name).open(mode))
    except OSError as error:
        if mode == "rb":
            raise _Stop(
                NO_INPUT, f"{name}: cannot read: {error.strerror or error}"
            ) from None
        raise _Stop(CANT_CREATE, f"cannot write: {error}") from None


def _reader(
    fmt: str, args: argparse.Namespace, files: contextlib.ExitStack
) -> Reader:
    source = None if fmt == "parquet" else _open(args.input, "rb", files)
    try:
        reader = open_reader(
            fmt,
            source,
            args.input,
            None if source is None else _size(source),
        )
    except FileNotFoundError as error:
        raise _Stop(
            NO_INPUT, f"{args.input}: cannot read: {error.strerror or error}"
        ) from None
    except MissingExtraError as error:
        raise _Stop(USAGE, str(error)) from None
    except FormatError as error:
        raise _Stop(DATA_ERROR, f"{args.input}: {error}") from None
    files.callback(reader.close)
    return reader


def _writer(
    fmt: str,
    args: argparse.Namespace,
    reader: Reader,
    files: contextlib.ExitStack,
) -> Writer:
    target = None if fmt == "parquet" else _open(args.output, "wb", files)
    try:
        writer = open_writer(fmt, target, args.output, reader.id_type)
    except MissingExtraError as error:
        raise _Stop(USAGE, str(error)) from None
    except OSError as error:
        raise _Stop(CANT_CREATE, f"cannot write: {error}") from None
    files.callback(writer.close)
    return writer


def _formats(args: argparse.Namespace, state: _Run) -> tuple[str, str]:
    fmt_in, problem = _format(args.from_format, args.input, "IN")
    if problem is None:
        fmt_out, problem = _format(args.to_format, args.output, "OUT")
    if problem is not None:
        raise _Stop(USAGE, problem)
    files = [
        Path(name).resolve()
        for name in (args.input, args.output, state.rejects_path)
        if name not in (None, "-")
    ]
    if len(set(files)) != len(files):
        raise _Stop(
            USAGE, "IN, OUT and the rejects file must be different files"
        )
    assert fmt_in is not None  # noqa: S101
    assert fmt_out is not None  # noqa: S101
    return fmt_in, fmt_out


def run(args: argparse.Namespace) -> int:
    """
    Run ``spasmcare batch``; the exit status.
    """
    state = _Run(args)
    try:
        state.fmt_in, fmt_out = _formats(args, state)
        with contextlib.ExitStack() as files:
            reader = _reader(state.fmt_in, args, files)
            if reader.unused and not args.quiet:
                name = "<stdin>" if args.input == "-" else args.input
                _error(
                    f"note: {name}: columns not read: "
                    + ", ".join(reader.unused)
                )
            writer = _writer(fmt_out, args, reader, files)
            if state.rejects_path is not None:
                try:
                    state.rejects = files.enter_context(
                        Path(state.rejects_path).open("w", encoding="utf-8")
                    )
                except OSError as error:
                    raise _Stop(
                        CANT_CREATE, f"cannot write: {error}"
                    ) from None
            try:
                state.score(reader, writer, Scorer())
            except FormatError as error:
                raise _Stop(DATA_ERROR, f"{args.input}: {error}") from None
    except _Stop as stop:
        _error(stop.message)
        return stop.status
    if not args.quiet:
        state.summary()
    return REJECTED if state.rejected else OK
