# SPDX-License-Identifier: MIT
"""
The files ``spasmcare batch`` reads and writes: JSON lines, CSV, Parquet.

Each reader yields the records of a file in chunks of a fixed size,
and each writer writes the results a chunk at a time,
so a file of any length goes through in the memory one chunk takes.

* **JSON lines**: each non-blank line is an assessment document
  (:func:`spasmcare.load_assessment`), with its optional ``"id"``.
* **CSV** (UTF-8, a header row) and **Parquet**: one column per question,
  and an optional ``id``, read with
  :func:`spasmcare.rows.assessment_from_row`;
  a CSV cell is text, so an empty cell is null, ``true`` and ``false``
  in an answer column are booleans, and a number column's text is read
  as a whole number.

Parquet needs pyarrow (``pip install 'spasmcare[batch]'``).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from ._batch import _given_id
from ._json import load_assessment
from ._model import Assessment
from .exceptions import InvalidValueError, SpasmcareError
from .rows import (
    ANSWER_COLUMNS,
    ID_COLUMN,
    INDEX_COLUMN,
    INPUT_COLUMNS,
    NUMBER_COLUMNS,
    RESULT_COLUMNS,
    ColumnKind,
    assessment_from_row,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "FORMATS",
    "Chunk",
    "FormatError",
    "MissingExtraError",
    "Reader",
    "Writer",
    "format_of",
    "open_reader",
    "open_writer",
]

#: The formats, by name, and the file name endings that imply them.
FORMATS: Mapping[str, tuple[str, ...]] = {
    "jsonl": (".jsonl", ".ndjson", ".json"),
    "csv": (".csv",),
    "parquet": (".parquet", ".pq"),
}
#: The columns of every output file, in order.
OUTPUT_COLUMNS = (
    ID_COLUMN,
    INDEX_COLUMN,
    *(c.name for c in RESULT_COLUMNS),
)

_INTEGER = re.compile(r"\s*[+-]?\d+\s*\Z")
_NUMBERS = frozenset(NUMBER_COLUMNS)
_ANSWERS = frozenset(ANSWER_COLUMNS)
_BOOLEANS = {"true": True, "false": False}
_READ = frozenset((*INPUT_COLUMNS, ID_COLUMN))


class FormatError(Exception):
    """
    The input is not a file of its format (not CSV, not Parquet, ...).
    """


class MissingExtraError(Exception):
    """
    The format needs a library that is not installed.
    """


def format_of(name: str) -> str | None:
    """
    The format a file name's ending implies, or ``None``.
    """
    lower = name.lower()
    for fmt, endings in FORMATS.items():
        if lower.endswith(endings):
            return fmt
    return None


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq  # noqa: PLC0415 (optional, and slow)
    except ImportError as error:
        raise MissingExtraError(
            "Parquet files need pyarrow: pip install 'spasmcare[batch]'"
        ) from error
    return pq


class Chunk(NamedTuple):
    """
    Some records of the input, in order.

    Attributes:
        lines: The line each record starts on (``None`` for Parquet).
        ids: Each record's id, or ``None``.
        items: Each record's assessment, or why it could not be read.
        done: How far the reader has got (bytes, or rows for Parquet).
    """

    lines: list[int | None]
    ids: list[Any]
    items: list[Assessment | SpasmcareError]
    done: int


#: A record as read: the line it starts on (``None`` for Parquet), its
#: id, and its assessment or why it could not be read.
Record = tuple[int | None, Any, Assessment | SpasmcareError]


class Reader:
    """
    A file of records, read chunk by chunk.

    Attributes:
        total: The size of the input (bytes, or rows for Parquet),
            or ``None`` when it is not known (standard input).
        unused: The input's columns that are not read, with a hint when
            one looks like a misspelt question id.
        id_type: The Arrow type of a Parquet input's id column, or
            ``None``.
    """

    total: int | None = None
    unused: tuple[str, ...] = ()
    id_type: Any = None

    def chunks(self, size: int) -> Iterator[Chunk]:
        """
        The records, *size* at a time.
        """
        chunk = Chunk([], [], [], 0)
        for line, identifier, item in self._records(size):
            chunk.lines.append(line)
            chunk.ids.append(identifier)
            chunk.items.append(item)
            if len(chunk.items) == size:
                yield chunk._replace(done=self._done())
                chunk = Chunk([], [], [], 0)
        if chunk.items:
            yield chunk._replace(done=self._done())

    def _records(self, size: int) -> Iterator[Record]:  # pragma: no cover
        """
        Each record's line, id and assessment (or why it could not be
        read), reading *size* at a time where the format allows.
        """
        raise NotImplementedError

    def _done(self) -> int:  # pragma: no cover
        """
        How far the reader has got, as :attr:`Chunk.done` counts.
        """
        raise NotImplementedError

    def close(self) -> None:
        """
        Close the input.
        """


def _unused(columns: Sequence[str]) -> tuple[str, ...]:
    out = []
    for column in columns:
        if column in _READ:
            continue
        close = difflib.get_close_matches(column, INPUT_COLUMNS, n=1)
        out.append(f"{column} (did you mean {close[0]}?)" if close else column)
    return tuple(out)


def _record(row: Mapping[str, Any]) -> tuple[Any, Assessment | SpasmcareError]:
    """
    A table row's id and assessment, or its id (if valid) and why it
    could not be read.
    """
    try:
        assessment = assessment_from_row(row)
    except SpasmcareError as error:
        return _given_id(row), error
    return assessment.id, assessment


class _JsonLines(Reader):
    def __init__(self, file: IO[bytes], total: int | None) -> None:
        self.file = file
        self.total = total
        self.read = 0  # bytes

    def _records(self, size: int) -> Iterator[Record]:  # noqa: ARG002
        for number, line in enumerate(self.file, start=1):
            self.read += len(line)
            if line.strip():
                yield (number, *self._record(line))

    def _done(self) -> int:
        return self.read

    @staticmethod
    def _record(line: bytes) -> tuple[Any, Assessment | SpasmcareError]:
        try:
            assessment = load_assessment(line)
        except SpasmcareError as error:
            return _given_id(line), error
        return assessment.id, assessment


def _cell(column: str, text: str | None) -> Any:
    """
    A CSV cell as the value it stands for: null when empty,
    a boolean for ``true`` or ``false`` in an answer column,
    a whole number in a number column.
    """
    if not text:
        return None
    if column in _ANSWERS and text in _BOOLEANS:
        return _BOOLEANS[text]
    if column in _NUMBERS and _INTEGER.match(text):
        return int(text)
    return text


class _Csv(Reader):
    def __init__(self, file: IO[bytes], total: int | None) -> None:
        self.binary = file
        self.total = total
        self.text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        self.reader = csv.reader(self.text)
        try:
            self.header = next(self.reader, [])
        except (csv.Error, UnicodeDecodeError) as error:
            self.text.detach()
            raise FormatError(f"not a CSV file: {error}") from None
        self.unused = _unused(self.header)

    def _records(self, size: int) -> Iterator[Record]:  # noqa: ARG002
        header = self.header
        start = self.reader.line_num + 1
        try:
            for cells in self.reader:
                line, start = start, self.reader.line_num + 1
                if not cells:  # a blank line
                    continue
                if len(cells) != len(header):
                    yield (
                        line,
                        None,
                        InvalidValueError(
                            "fields",
                            len(cells),
                            f"the header has {len(header)}",
                        ),
                    )
                    continue
                yield (
                    line,
                    *_record(
                        {
                            column: _cell(column, text)
                            for column, text in zip(header, cells, strict=True)
                        }
                    ),
                )
        except (csv.Error, UnicodeDecodeError) as error:
            raise FormatError(
                f"not a CSV file (near line {start}): {error}"
            ) from None

    def close(self) -> None:
        self.text.detach()  # the file itself is closed by its opener

    def _done(self) -> int:
        """
        Bytes read so far (a little ahead: the text layer reads ahead);
        0 from a pipe, whose size is not known anyway.
        """
        try:
            return self.binary.tell()
        except OSError:
            return 0


class _Parquet(Reader):
    def __init__(self, path: str) -> None:
        pq = _pyarrow()
        import pyarrow as pa  # noqa: PLC0415

        try:
            self.file = pq.ParquetFile(path)
        except FileNotFoundError:
            raise
        except (pa.ArrowException, OSError) as error:
            raise FormatError(f"not a Parquet file: {error}") from None
        schema = self.file.schema_arrow
        self.total = self.file.metadata.num_rows
        self.read = 0  # rows
        self.unused = _unused(schema.names)
        self.columns = [name for name in schema.names if name in _READ]
        if ID_COLUMN in schema.names:
            given = schema.field(ID_COLUMN).type
            # Ids are strings or integers (others are rejected, so null);
            # a whole float is read as that integer, as in the JSON.
            if (
                pa.types.is_integer(given)
                or pa.types.is_string(given)
                or pa.types.is_large_string(given)
            ):
                self.id_type = given
            elif pa.types.is_floating(given):
                self.id_type = pa.int64()

    def _records(self, size: int) -> Iterator[Record]:
        for batch in self.file.iter_batches(
            batch_size=size, columns=self.columns
        ):
            # No column read (none is a question or the id): all unknown,
            # a row each all the same.
            for row in batch.to_pylist() or [{}] * batch.num_rows:
                self.read += 1
                yield (None, *_record(row))

    def _done(self) -> int:
        return self.read

    def close(self) -> None:
        self.file.close()


def open_reader(
    fmt: str, file: IO[bytes] | None, path: str, total: int | None
) -> Reader:
    """
    A reader of *fmt* over *file* (JSON lines, CSV) or *path* (Parquet).

    Raises:
        FormatError: The file is not of its format.
        MissingExtraError: Parquet without pyarrow.
    """
    if fmt == "parquet":
        return _Parquet(path)
    assert file is not None  # noqa: S101 (text formats are opened as files)
    if fmt == "csv":
        return _Csv(file, total)
    return _JsonLines(file, total)


class Writer:
    """
    A file of results, written chunk by chunk.
    """

    def write(
        self, ids: list[Any], indices: range, results: dict[str, list[Any]]
    ) -> None:  # pragma: no cover
        """
        Write the results of one chunk.
        """
        raise NotImplementedError

    def close(self) -> None:
        """
        Finish the file.
        """


def _columns(
    ids: list[Any], indices: range, results: dict[str, list[Any]]
) -> list[list[Any]]:
    return [ids, list(indices), *(results[c.name] for c in RESULT_COLUMNS)]


class _JsonLinesWriter(Writer):
    def __init__(self, file: IO[bytes]) -> None:
        self.file = file

    def write(
        self, ids: list[Any], indices: range, results: dict[str, list[Any]]
    ) -> None:
        dumps = json.dumps
        lines = [
            dumps(dict(zip(OUTPUT_COLUMNS, values, strict=True))) + "\n"
            for values in zip(*_columns(ids, indices, results), strict=True)
        ]
        self.file.write("".join(lines).encode())


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return value


class _CsvWriter(Writer):
    def __init__(self, file: IO[bytes]) -> None:
        self.text = io.TextIOWrapper(
            file, encoding="utf-8", newline="", write_through=True
        )
        self.writer = csv.writer(self.text)
        self.writer.writerow(OUTPUT_COLUMNS)

    def write(
        self, ids: list[Any], indices: range, results: dict[str, list[Any]]
    ) -> None:
        self.writer.writerows(
            [_csv_text(value) for value in values]
            for values in zip(*_columns(ids, indices, results), strict=True)
        )

    def close(self) -> None:
        self.text.flush()
        self.text.detach()


def arrow_schema(id_type: Any = None) -> pa.Schema:
    """
    The Arrow schema of a Parquet output file.
    """
    import pyarrow as pa  # noqa: PLC0415

    kinds: dict[ColumnKind, pa.DataType] = {
        ColumnKind.STRING: pa.string(),
        ColumnKind.BOOLEAN: pa.bool_(),
        ColumnKind.STRINGS: pa.list_(pa.string()),
    }
    return pa.schema(
        [
            (ID_COLUMN, id_type or pa.string()),
            (INDEX_COLUMN, pa.int64()),
            *((c.name, kinds[c.kind]) for c in RESULT_COLUMNS),
        ]
    )


class _ParquetWriter(Writer):
    def __init__(self, path: str, id_type: Any) -> None:
        pq = _pyarrow()
        self.schema = arrow_schema(id_type)
        self.writer = pq.ParquetWriter(path, self.schema)

    def write(
        self, ids: list[Any], indices: range, results: dict[str, list[Any]]
    ) -> None:
        import pyarrow as pa  # noqa: PLC0415

        arrays = [
            pa.array(values, type=field.type)
            for values, field in zip(
                _columns(ids, indices, results), self.schema, strict=True
            )
        ]
        self.writer.write_table(
            pa.Table.from_arrays(arrays, schema=self.schema)
        )

    def close(self) -> None:
        self.writer.close()


def open_writer(
    fmt: str, file: IO[bytes] | None, path: str, id_type: Any
) -> Writer:
    """
    A writer of *fmt* to *file* (JSON lines, CSV) or *path* (Parquet).

    Raises:
        MissingExtraError: Parquet without pyarrow.
        OSError: The file cannot be written.
    """
    if fmt == "parquet":
        return _ParquetWriter(path, id_type)
    assert file is not None  # noqa: S101 (text formats are opened as files)
    if fmt == "csv":
        return _CsvWriter(file)
    return _JsonLinesWriter(file)
