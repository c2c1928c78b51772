"""Reading applications from CSV and JSON files.

A reader never stops at the first problem: it reads every row it can, records every cell
it cannot read (file, row and field), and keeps the rest of that row, so that a report can
show every row of the input.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, Self, cast

import attrs

from callkit._application import DEFAULTS, FIELDS, Application, application_builder
from callkit._batch import full_collections_deferred
from callkit._countries import country_code, nearest_countries, normalise_name
from callkit._errors import InputError, InputProblem
from callkit._finding import SHOWN
from callkit._i18n import Either, msg

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

LIST_SEPARATOR = ";"
"""What separates the items of a list in one CSV cell."""

_YES = frozenset({"yes", "y", "true", "1", "ja", "j", "x"})
_NO = frozenset({"no", "n", "false", "0", "nei"})

# Headings that name a field in other words: the UiB faculty list's Norwegian headings
# and common English ones. Matched without regard to case, accents or spacing.
_HEADINGS: dict[str, str] = {
    "tittel": "title",
    "tittel pa prosjekt": "title",
    "prosjekttittel": "title",
    "project title": "title",
    "tema": "theme",
    "tema for soknaden": "theme",
    "soker": "applicant",
    "uib-soker": "applicant",
    "institusjon": "institution",
    "sokerinstitusjon": "institution",
    "institusjonstype": "institution_type",
    "institution type": "institution_type",
    "institusjonens land": "institution_country",
    "fakultet": "faculty",
    "institutt": "department",
    "uib-sokers institutt": "department",
    "ordning": "qualifying_scheme",
    "kvalifiserende ordning": "qualifying_scheme",
    "kvalifiserende prosjekt": "qualifying_project",
    "kvalifiserende lopende finansiering": "qualifying_project",
    "land": "partner_countries",
    "partnerland": "partner_countries",
    "partner countries": "partner_countries",
    "partnerinstitusjon": "partner_institutions",
    "partnerinstitusjoner": "partner_institutions",
    "hovedpartnerinstitusjon": "partner_institutions",
    "partner institutions": "partner_institutions",
    "belop per ar": "requested_per_year",
    "omsokt belop per ar": "requested_per_year",
    "samlet belop": "requested_total",
    "varighet": "duration_years",
    "varighet (ar)": "duration_years",
    "egenandel": "own_share",
    "valuta": "currency",
    "forskning": "research",
    "utdanning": "education",
    "kostnader": "costs",
    "rangering": "rank",
    "prioritet": "rank",
}


_NAMED_FIELD = re.compile(r"\(([a-z_]+)\)\s*$")
_LONGEST_HEADING = 500
"""No heading longer than this names a field."""


def field_for_heading(heading: str) -> str | None:
    """The application field a column heading names, or ``None`` if it names none.

    A heading may name its field in brackets at the end, as the templates callkit writes
    do: ``Land for hovedpartnerinstitusjon (partner_countries)``.
    """
    if len(heading) > _LONGEST_HEADING:
        return None  # nor is it folded, nor remembered among the folded names
    named = _NAMED_FIELD.search(heading)
    if named and named.group(1) in FIELDS:
        return named.group(1)
    key = normalise_name(heading).replace("\u00f8", "o").replace("\u00e6", "ae")
    snake = re.sub(r"[\s\-]+", "_", key)
    if snake in FIELDS:
        return snake
    return _HEADINGS.get(key)


class _CellError(ValueError):
    """A cell that cannot be read; the reader adds file, row and field."""

    @property
    def message(self) -> str:
        """Why, as a :class:`~callkit.Message` in both languages."""
        message: str = self.args[0]
        return message


def _too_deep() -> str:
    return msg("JSON nested too deeply")


def _missing(field: str) -> str:
    return msg("the {field} is missing", field=field)


def _unreadable(name: str, error: OSError) -> InputProblem:
    reason = error.strerror or str(error)
    return InputProblem(name, None, None, msg("cannot be read: {reason}", reason=reason))


def _as_json(value: object) -> str:
    """A JSON value as JSON text; exact numbers as they were written."""
    return json.dumps(value, default=str, ensure_ascii=False)


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool | dict | list):
        raise _CellError(msg("expected text, got {value}", value=_as_json(value)[:40]))
    text = str(value).strip()
    return text or None


def _items(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        parts = [_text(v) for v in value]
    elif isinstance(value, str):
        parts = [p.strip() for p in value.split(LIST_SEPARATOR)]
    else:
        raise _CellError(
            msg("expected a list or text separated by '{separator}'", separator=LIST_SEPARATOR)
        )
    return tuple(p for p in parts if p)


MAX_DIGITS = 18
"""Numbers have at most this many digits before the point, and as many after it."""

MAX_RANK = 100_000
"""The largest rank an application may be given."""

MAX_CELL = 32_767
"""The most characters a cell may hold, as in a spreadsheet; a longer one is not read."""

_SPREADSHEET_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"}
)
"""What a spreadsheet shows in a cell it could not work out (or a date it cannot show)."""


def _shown(value: object) -> str:
    """A cell's value for a message, cut short if it is long."""
    if isinstance(value, Decimal):
        value = f"{value:f}" if abs(value.adjusted()) < 40 else str(value)  # noqa: PLR2004
    text = repr(value if isinstance(value, str) else str(value))
    return text if len(text) <= SHOWN else text[: SHOWN - 4] + "...'"


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_']")
_PLAIN = re.compile(r"\d+(?:[.,]\d+)?")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*")
_GROUPED_DECIMAL = re.compile(
    r"[1-9]\d{0,2}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?!(?P=sep))[.,]\d+"
)


def parse_number(text: str) -> Decimal | None:
    """Read a number as people write it in Norway and elsewhere; ``None`` if it is not one.

    Spaces (also non-breaking and thin ones) and apostrophes group digits:
    ``2 000 000``. A comma or a point alone is the decimal mark: ``1,5`` and ``1.5``.
    Repeated, or followed by exactly three digits, it groups thousands: ``2,000,000``,
    ``2.000`` and ``2,000`` are two thousand and two million. With both, the last one is the
    decimal mark: ``2.000,50`` and ``2,000.50``. No exponents, no signs.
    """
    if text.isascii() and text.isdigit():
        return Decimal(text)
    text = _SPACES.sub("", text)
    if _GROUPED.fullmatch(text):
        return Decimal(re.sub(r"[.,]", "", text))
    if _GROUPED_DECIMAL.fullmatch(text):
        mark = max(text.rfind(","), text.rfind("."))
        return Decimal(re.sub(r"[.,]", "", text[:mark]) + "." + text[mark + 1 :])
    if _PLAIN.fullmatch(text):
        return Decimal(text.replace(",", "."))
    return None


def _native_number(value: object) -> Decimal | None:
    """A number from a JSON value or a cell; ``None`` for an empty cell."""
    if isinstance(value, bool):
        raise _CellError(msg("expected a number, got {value}", value=str(value).lower()))
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        if not value.strip():
            return None
        parsed = parse_number(value)
        if parsed is None:
            raise _CellError(msg("{value} is not a number", value=_shown(value)))
        return parsed
    raise _CellError(msg("expected a number, got {value}", value=type(value).__name__))


def _number(value: object) -> Decimal | None:
    number = None if value is None else _native_number(value)
    if number is None:
        return None
    if not number.is_finite() or number < 0:
        raise _CellError(msg("{value} is not a non-negative number", value=_shown(value)))
    exponent = number.as_tuple().exponent
    if number.adjusted() >= MAX_DIGITS or (isinstance(exponent, int) and -exponent > MAX_DIGITS):
        raise _CellError(
            msg(
                "{value} has more than {digits} digits before or after the point",
                value=_shown(value),
                digits=MAX_DIGITS,
            )
        )
    return number.copy_abs() if number.is_zero() else number  # -0 is 0


def _whole(value: object) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number != number.to_integral_value() or not 1 <= number <= MAX_RANK:
        raise _CellError(
            msg(
                "{value} is not a whole number from 1 to {largest}",
                value=_shown(value),
                largest=MAX_RANK,
            )
        )
    return int(number)


def _yes_no(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _CellError(
        msg("{value} is neither yes nor no (yes/no, true/false, ja/nei)", value=_shown(value))
    )


_KNOWN_COUNTRIES: dict[str, str] = {}
"""The code of each spelling of a country read so far, as lists give partners in a few
spellings, combined in many ways from cell to cell."""


def _country(text: str) -> str:
    code = _KNOWN_COUNTRIES.get(text)
    if code is not None:
        return code
    code = country_code(text)
    if code is None:
        hint = nearest_countries(text)
        if hint:
            raise _CellError(
                msg(
                    "unknown country {text}; did you mean {hint}?",
                    text=_shown(text),
                    hint=Either(hint),
                )
            )
        raise _CellError(msg("unknown country {text}", text=_shown(text)))
    if len(_KNOWN_COUNTRIES) >= _CACHE_SIZE:
        _KNOWN_COUNTRIES.clear()
    _KNOWN_COUNTRIES[text] = code
    return code


def _one_country(value: object) -> str | None:
    text = _text(value)
    return None if text is None else _country(text)


def _countries(value: object) -> tuple[str, ...]:
    return tuple(_country(item) for item in _items(value))


def _currency(value: object) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{3}", text):
        raise _CellError(
            msg("{value} is not a currency code such as NOK or EUR", value=_shown(text))
        )
    return text.upper()


_PARSERS: dict[str, Callable[[object], Any]] = {
    "partner_countries": _countries,
    "partner_institutions": _items,
    "costs": _items,
    "institution_country": _one_country,
    "requested_per_year": _number,
    "requested_total": _number,
    "duration_years": _number,
    "own_share": _number,
    "currency": _currency,
    "research": _yes_no,
    "education": _yes_no,
    "rank": _whole,
}
_REQUIRED = ("title", "institution")


@attrs.frozen
class ApplicationFile:
    """What was read from one file: applications, problems and warnings.

    Every row appears in ``applications``, also a row with problems (with what could be
    read of it); ``problems`` says what could not be read, and ``warnings`` what was read
    but may not be what was meant (such as an unknown column, kept in ``extra``).
    """

    path: str
    applications: tuple[Application, ...]
    problems: tuple[InputProblem, ...] = ()
    warnings: tuple[str, ...] = ()

    def raise_for_problems(self) -> None:
        """Raise :class:`InputError` listing every problem, if there is any."""
        if self.problems:
            raise InputError(self.problems)


class ApplicationRow(NamedTuple):
    """One application read, with the problems of its row: each names file, row and field."""

    application: Application
    problems: tuple[InputProblem, ...] = ()


_new_row = tuple.__new__
"""Builds an :class:`ApplicationRow` without the Python frame of its ``__new__``."""


class ApplicationStream:
    """The applications of one file, read one row at a time.

    Opening the file (:func:`open_application_file`) reads its header: ``problems`` holds
    what is wrong with the file as a whole (a missing column, two columns for one field),
    and ``warnings`` what may not be what was meant. Iterating gives each row as an
    :class:`ApplicationRow`, so that a file larger than memory can be checked and reported
    row by row. A file that turns out to be unreadable part-way (CSV that is not valid
    further down) raises :class:`InputError` where it does. Use it as a context manager, or
    call :meth:`close`, to close the file before the last row.
    """

    def __init__(
        self,
        path: str,
        rows: Iterator[ApplicationRow],
        problems: Iterable[InputProblem] = (),
        warnings: Iterable[str] = (),
        close: Callable[[], object] | None = None,
    ) -> None:
        """Wrap *rows*, read from *path*; *close* releases the file."""
        self.path = path
        self.problems = tuple(problems)
        self.warnings = tuple(warnings)
        self._rows = rows
        self._close = close

    def __iter__(self) -> Iterator[ApplicationRow]:
        """The rows not read yet."""
        return self._rows

    def close(self) -> None:
        """Close the file; the rows not read are not read."""
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Self:
        """The stream itself."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close the file."""
        self.close()

    def read(self) -> ApplicationFile:
        """Read every row that is left, and close the file."""
        applications: list[Application] = []
        problems = list(self.problems)
        with self, full_collections_deferred():
            for application, found in self:
                applications.append(application)
                if found:
                    problems.extend(found)
        return ApplicationFile(self.path, tuple(applications), tuple(problems), self.warnings)


class _Unread:
    """A cell that could not be read, with why, as the parsers' cache keeps it."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


_MISSING = object()

_CACHED = frozenset(FIELDS) - {"title", "theme", "applicant", "qualifying_project"}
"""The fields whose cells come back row after row, so that each column remembers what
each of its cells read as: names of institutions and faculties, codes, countries, amounts
and yes/no. Titles, themes and people's names are read afresh each time."""

_CACHE_SIZE = 4096
"""How many distinct cells a column remembers; it starts afresh when full."""

_CACHED_CELL = 100
"""Longer cells are not remembered: a column of long text would hold it all."""

_SLOTS = {field: slot for slot, field in enumerate(FIELDS)}
_TITLE = _SLOTS["title"]
_INSTITUTION = _SLOTS["institution"]


def _readable(raw: object) -> object:
    """*raw*, unless the cell cannot be read at all: too long, or a spreadsheet's error."""
    for text in raw if isinstance(raw, list) else (raw,):
        if not isinstance(text, str):
            continue
        if len(text) > MAX_CELL:
            raise _CellError(
                msg(
                    "the cell has {n} characters, more than the {most} a cell holds",
                    n=len(text),
                    most=MAX_CELL,
                )
            )
        if text.startswith("#") and text in _SPREADSHEET_ERRORS:
            raise _CellError(
                msg("the cell holds the spreadsheet error {error}, not a value", error=text)
            )
    return raw


def _read_cell(
    parse: Callable[[object], object], cell: object, cache: dict[object, object]
) -> object:
    """What *cell* reads as, or an :class:`_Unread`, remembered in *cache*.

    Only text is remembered: ``True`` and ``1`` are equal keys, but not the same cell.
    """
    try:
        value = parse(_readable(cell))
    except _CellError as error:
        value = _Unread(error.message)
    if isinstance(cell, str) and len(cell) <= _CACHED_CELL:
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[cell] = value
    return value


class _Rows:
    """How the rows of one file become applications, worked out once from its header.

    Each column gets its parser and a place in the row's values: a column that names a
    field, that field's; a column that names none, a place after them, as it is kept as
    extra data. Columns whose cells come back row after row also get a cache of what each
    cell read as. A row is then one pass over its cells.
    """

    def __init__(self, path: str, columns: list[str]) -> None:
        self.path = path
        self.width = len(columns)
        extra = [name for name in columns if name not in _SLOTS]
        self.extra = [(len(FIELDS) + i, name) for i, name in enumerate(extra)]
        slots = {**_SLOTS, **{name: slot for slot, name in self.extra}}
        self.plan: list[
            tuple[int, str, Callable[[object], object], dict[object, object] | None, bool]
        ]
        # A cached column checks that a cell can be read at all (see _readable) when it
        # first meets it; another column of a field checks every cell it reads.
        self.plan = [
            (
                slots[name],
                name,
                _PARSERS.get(name, _text) if name in _SLOTS else _extra,
                {} if name in _CACHED else None,
                name in _SLOTS,
            )
            for name in columns
        ]
        self.blank = [*DEFAULTS, *[None] * len(self.extra)]
        self.required = [(field, _SLOTS[field]) for field in _REQUIRED if field in columns]
        self.build = application_builder()

    def row(self, number: int, cells: list[object]) -> ApplicationRow:  # noqa: C901, PLR0912  (one frame: it runs per row)
        """The application of row *number*, and the problems of its cells."""
        path = self.path
        problems: list[InputProblem] = []
        if len(cells) > self.width:
            self._too_long(number, cells, problems)
        values = self.blank.copy()
        for (slot, field, parse, cache, known), cell in zip(self.plan, cells, strict=False):
            if not cell and (cell is None or isinstance(cell, str)):
                continue  # an empty cell reads as nothing, whatever the field
            if cache is None:
                try:
                    if cell.__class__ is not str:
                        value = parse(cell)
                    elif not known:
                        value = cell  # kept as extra data, as it is
                    else:
                        if cell[0] == "#" or len(cell) > MAX_CELL:
                            _readable(cell)
                        # Text, the most common kind of column not cached, read in place.
                        value = (cell.strip() or None) if parse is _text else parse(cell)
                except _CellError as error:
                    value = _Unread(error.message)
            else:
                try:
                    value = cache.get(cell, _MISSING)
                except TypeError:  # a workbook's cell of a kind that cannot be a key
                    value = _MISSING
                if value is _MISSING:
                    value = _read_cell(parse, cell, cache)
            if value.__class__ is _Unread:
                problems.append(InputProblem(path, number, field, value.message))
            elif value is not None:
                values[slot] = value
        if values[_TITLE] is None or values[_INSTITUTION] is None:
            self._missing(number, values, problems)
        extra = (
            {name: str(values[slot]) for slot, name in self.extra if values[slot] is not None}
            if self.extra
            else {}
        )
        application = self.build(values, extra, f"{path}:{number}")
        return _new_row(ApplicationRow, (application, tuple(problems)))

    def _missing(self, number: int, values: list[object], problems: list[InputProblem]) -> None:
        """Note a required field the row does not give; it is then empty text."""
        unread = {p.field for p in problems}
        for field, slot in self.required:
            if values[slot] is None and field not in unread:
                problems.append(InputProblem(self.path, number, field, _missing(field)))
        for slot in (_TITLE, _INSTITUTION):
            if values[slot] is None:
                values[slot] = ""

    def _too_long(self, number: int, cells: list[object], problems: list[InputProblem]) -> None:
        """Note a row with more cells than headings, unless those beyond them are blank."""
        if not all(_blank(c) for c in cells[self.width :]):
            problems.append(
                InputProblem(
                    self.path,
                    number,
                    None,
                    msg(
                        "the row has {cells} cells but the header has {width}; the extra "
                        "cells are ignored",
                        cells=len(cells),
                        width=self.width,
                    ),
                )
            )


def _extra(value: object) -> str:
    """A cell of a column that names no field, kept as text."""
    return value if isinstance(value, str) else _as_json(value)


def _build(
    path: str,
    row: int,
    cells: Iterable[tuple[str, object]],
    problems: list[InputProblem],
) -> Application:
    """Build the application of one record, its cells by field; append what cannot be read."""
    values = list(DEFAULTS)
    extra: dict[str, str] = {}
    unread: set[str] = set()
    for field, raw in cells:
        slot = _SLOTS.get(field)
        if slot is None:
            if raw not in (None, ""):
                extra[field] = raw if isinstance(raw, str) else _as_json(raw)
            continue
        parse = _PARSERS.get(field, _text)
        try:
            value = parse(_readable(raw))
        except _CellError as error:
            problems.append(InputProblem(path, row, field, error.message))
            unread.add(field)
            continue
        if value is not None and value != ():
            values[slot] = value
    problems.extend(
        InputProblem(path, row, field, _missing(field))
        for field in _REQUIRED
        if values[_SLOTS[field]] is None and field not in unread
    )
    if values[_TITLE] is None:
        values[_TITLE] = ""
    if values[_INSTITUTION] is None:
        values[_INSTITUTION] = ""
    return application_builder()(values, extra, f"{path}:{row}")


def _columns(
    path: str, headings: list[str], problems: list[InputProblem], warnings: list[str]
) -> list[str]:
    columns: list[str] = []
    names: set[str] = set()  # a set, as a header may have many thousands of columns
    seen: dict[str, str] = {}
    for heading in headings:
        field = field_for_heading(heading) if heading.strip() else None
        if field is None:
            name = heading.strip() or f"column {len(columns) + 1}"
            if name in names:
                name = f"{name} ({len(columns) + 1})"
            if heading.strip():
                warnings.append(
                    msg(
                        "{path}: unknown column {name}, kept as extra data",
                        path=path,
                        name=_shown(name),
                    )
                )
            columns.append(name)
            names.add(name)
            continue
        if field in seen:
            problems.append(
                InputProblem(
                    path,
                    1,
                    field,
                    msg(
                        "the columns {first} and {second} both give the {field}",
                        first=_shown(seen[field]),
                        second=_shown(heading),
                        field=field,
                    ),
                )
            )
        seen[field] = heading
        columns.append(field)
        names.add(field)
    problems.extend(
        InputProblem(
            path, 1, field, msg("there is no {field!r} column in the header row", field=field)
        )
        for field in _REQUIRED
        if field not in seen
    )
    return columns


def _delimiter(line: str) -> str:
    """The separator the header row uses: a comma, or a semicolon or tab as some write."""
    header = re.sub(r'"[^"]*"', "", line)  # quoted headings aside
    return max((",", ";", "\t"), key=header.count)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _blank_row(cells: Sequence[object]) -> bool:
    """Whether no cell of the row holds anything; it stops at the first that does."""
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or (cell and not cell.isspace())):
            return False
    return True


def _stream_rows(
    name: str, rows: Iterator[list[object]], close: Callable[[], object] | None = None
) -> ApplicationStream:
    """Applications from rows of cells, the first row the headings (as a spreadsheet has).

    *close* releases the file the rows come from.
    """
    header = next(rows, None)
    if header is None or _blank_row(header):
        raise InputError([InputProblem(name, 1, None, msg("the file has no header row"))])
    problems: list[InputProblem] = []
    warnings: list[str] = []
    headings = ["" if cell is None else str(cell) for cell in header]
    plan = _Rows(name, _columns(name, headings, problems, warnings))

    def read() -> Iterator[ApplicationRow]:
        for number, cells in enumerate(rows, start=2):
            if not _blank_row(cells):
                yield plan.row(number, cells)

    return ApplicationStream(name, read(), problems, warnings, close)


_SCAN_CHUNK = 1 << 16
"""How many bytes at a time a file's encoding is checked, before any row is read.

Chunks this small are reused. Chunks of a mebibyte, each read and decoded in turn, would
leave the process as large as the file: the C allocator keeps every one."""


class _Scan(NamedTuple):
    """What looking through a file in an encoding found."""

    error: int | None
    """The offset of the first byte that is not text in the encoding, if any."""
    inner_mark: bool
    """Whether the text has a byte-order mark past its start, as where files were joined."""


def _scan(file: BinaryIO, encoding: str) -> _Scan:
    """Look through *file* as *encoding* text, a chunk at a time, and leave it at its start.

    A file larger than memory is checked in little memory. Only a file found to hold a
    byte-order mark inside it pays for taking such marks out line by line.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    inner = False
    try:
        while chunk := file.read(_SCAN_CHUNK):
            pending = len(decoder.getstate()[0])
            try:
                decoded = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return _Scan(offset - pending + error.start, inner)
            inner = inner or "\ufeff" in (decoded[1:] if offset == 0 else decoded)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return _Scan(offset - len(decoder.getstate()[0]) + error.start, inner)
        return _Scan(None, inner)
    finally:
        file.seek(0)


_PEEK = 1 << 16
"""How many bytes of a pipe are looked at to tell its encoding."""


def _encoding(name: str, file: io.BufferedReader, given: str | None) -> tuple[str, bool]:
    """The encoding to read *file* in, and whether a byte-order mark may be inside its text.

    The encoding is *given*, or else UTF-8 or Windows-1252, as detected. A file on disk is
    checked whole before any row is read, as a pipe cannot be: its encoding is told from its
    first bytes. A file that starts with a UTF-16 byte-order mark (as Excel saves "Unicode
    text") is UTF-16.
    """
    if given is None and file.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16", True
    if not file.seekable():
        return given or _pipe_encoding(file), True
    if given is not None:
        scan = _scan(file, given)
        if scan.error is not None:
            problem = msg(
                "is not {encoding} text (byte {byte})", encoding=given, byte=scan.error + 1
            )
            raise InputError([InputProblem(name, None, None, problem)])
        return given, scan.inner_mark
    utf8 = _scan(file, "utf-8")
    if utf8.error is None:
        return "utf-8-sig", utf8.inner_mark
    # Excel in Norway saves CSV as Windows-1252 unless told otherwise.
    if _scan(file, "cp1252").error is None:
        return "cp1252", False
    problem = msg(
        "is neither UTF-8 nor Windows-1252 text (byte {byte}); give its encoding with --encoding",
        byte=utf8.error + 1,
    )
    raise InputError([InputProblem(name, None, None, problem)])


def _pipe_encoding(file: io.BufferedReader) -> str:
    """UTF-8 if a pipe's first bytes are, or else Windows-1252."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(file.peek(_PEEK))
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _open_binary(name: str) -> io.BufferedReader:
    try:
        return cast("io.BufferedReader", Path(name).open("rb", buffering=_PEEK))
    except FileNotFoundError:
        raise InputError([InputProblem(name, None, None, msg("no such file"))]) from None
    except IsADirectoryError:
        raise InputError([InputProblem(name, None, None, msg("is a folder, not a file"))]) from None
    except OSError as error:
        raise InputError([_unreadable(name, error)]) from None


def open_csv(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> ApplicationStream:
    """Open a CSV file to read row by row: a header row, then one application per row.

    The text is UTF-8 (a byte-order mark is allowed) or else Windows-1252, as Excel saves
    CSV in Norway, unless *encoding* says otherwise. The separator is a comma, or a
    semicolon or a tab when the header row uses one, unless *delimiter* says otherwise.
    """
    name = str(path)
    binary = _open_binary(name)
    chosen = encoding or "UTF-8"
    try:
        chosen, marked = _encoding(name, binary, encoding)
        text = io.TextIOWrapper(binary, encoding=chosen, newline="")
        lines: Iterator[str] = text
        if marked:
            # A byte-order mark inside the text, as where two files were joined, is no
            # character of it.
            lines = (line.replace("\ufeff", "") if "\ufeff" in line else line for line in text)
        first = next(lines, "")
        separator = delimiter or _delimiter(first)
        reader = csv.reader(itertools.chain((first,), lines), delimiter=separator, strict=True)

        def rows() -> Iterator[list[object]]:
            try:
                yield from reader
            except csv.Error as error:
                reason: str = str(error)
                if reason.startswith("field larger than field limit"):
                    reason = msg(
                        "a cell has more than {limit} characters (is a quotation mark left open?)",
                        limit=csv.field_size_limit(),
                    )
                problem = InputProblem(
                    name,
                    reader.line_num or None,
                    None,
                    msg("not valid CSV: {reason}", reason=reason),
                )
                raise InputError([problem]) from None
            except UnicodeDecodeError:
                problem = InputProblem(
                    name, reader.line_num or None, None, _undecodable(chosen, encoding)
                )
                raise InputError([problem]) from None

        return _stream_rows(name, rows(), text.close)
    except UnicodeDecodeError:
        binary.close()
        raise InputError([InputProblem(name, None, None, _undecodable(chosen, encoding))]) from None
    except BaseException:
        binary.close()
        raise


_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


def _undecodable(chosen: str, given: str | None) -> str:
    """Why a pipe's text stopped being readable part-way, in the encoding told from its start."""
    if given is not None:
        return msg("is not {encoding} text further on", encoding=given)
    return msg(
        "is not {encoding} text further on, as its first bytes were; give its encoding with "
        "--encoding",
        encoding=_NAMES.get(chosen, chosen),
    )


def open_json(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> ApplicationStream:
    """Open a JSON file holding a list of objects, one per application.

    JSON is read whole, then its applications are built one at a time. *delimiter* is for
    CSV files, and ignored here.
    """
    del delimiter
    name = str(path)
    try:
        data = json.loads(
            _read_text(name, encoding),
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=Decimal,  # NaN and Infinity, named as written
        )
    except json.JSONDecodeError as error:
        raise InputError(
            [
                InputProblem(
                    name,
                    None,
                    None,
                    msg(
                        "not valid JSON: {reason} at line {line}, column {column}",
                        reason=error.msg,
                        line=error.lineno,
                        column=error.colno,
                    ),
                )
            ]
        ) from None
    except RecursionError:
        raise InputError([InputProblem(name, None, None, _too_deep())]) from None
    if not isinstance(data, list):
        raise InputError(
            [InputProblem(name, None, None, msg("expected a list of applications (a JSON array)"))]
        )
    return stream_records(data, name)


def stream_records(data: list[Any], name: str) -> ApplicationStream:
    """Applications from plain records (dicts), as a JSON file holds them, one at a time.

    *name* stands for the file in sources and problems; row numbers count from 1.
    """
    unknown = {
        str(key)
        for item in data
        if isinstance(item, dict)
        for key in item
        if field_for_heading(str(key)) is None
    }
    warnings: list[str] = [
        msg("{path}: unknown key {key}, kept as extra data", path=name, key=_shown(k))
        for k in sorted(unknown)
    ]
    return ApplicationStream(name, _records(data, name), (), warnings)


def _records(data: list[Any], name: str) -> Iterator[ApplicationRow]:
    for number, item in enumerate(data, start=1):
        problems: list[InputProblem] = []
        if not isinstance(item, dict):
            problems.append(InputProblem(name, number, None, msg("expected an object")))
            blank = Application(title="", institution="", source=f"{name}:{number}")
            yield ApplicationRow(blank, tuple(problems))
            continue
        cells: list[tuple[str, object]] = []
        keys: dict[str, str] = {}
        for key, value in item.items():
            field = field_for_heading(str(key))
            if field is not None and field in keys:
                problems.append(
                    InputProblem(
                        name,
                        number,
                        field,
                        msg(
                            "the keys {first} and {second} both give the {field}; only "
                            "{second} is read",
                            first=_shown(keys[field]),
                            second=_shown(key),
                            field=field,
                        ),
                    )
                )
                cells = [cell for cell in cells if cell[0] != field]  # the later one counts
            elif field is not None:
                keys[field] = str(key)
            cells.append((field or str(key), value))
        try:
            application = _build(name, number, cells, problems)
        except RecursionError:  # nested just less deeply than the parser allows
            raise InputError([InputProblem(name, None, None, _too_deep())]) from None
        yield ApplicationRow(application, tuple(problems))


def read_csv(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> ApplicationFile:
    """Read a CSV file whole; see :func:`open_csv`."""
    return open_csv(path, encoding=encoding, delimiter=delimiter).read()


def read_json(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> ApplicationFile:
    """Read a JSON file holding a list of objects, one per application; see :func:`open_json`."""
    return open_json(path, encoding=encoding, delimiter=delimiter).read()


def read_records(data: list[Any], name: str) -> ApplicationFile:
    """Read applications from plain records (dicts), as a JSON file holds them.

    *name* stands for the file in sources and problems; row numbers count from 1.
    """
    return stream_records(data, name).read()


def _read_text(name: str, encoding: str | None = None) -> str:
    """The text of a file, in *encoding* or else as detected.

    Detected means UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order
    mark (as Excel saves "Unicode text"), or else Windows-1252. A byte-order mark inside the
    text, as where two files were joined, is no character of it and is left out.
    """
    with _open_binary(name) as file:
        try:
            data = file.read()
        except OSError as error:
            raise InputError([_unreadable(name, error)]) from None
    return _decode(name, data, encoding).replace("\ufeff", "")


def _decode(name: str, data: bytes, encoding: str | None) -> str:
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            problem = msg(
                "is not {encoding} text (byte {byte})", encoding=encoding, byte=error.start + 1
            )
            raise InputError([InputProblem(name, None, None, problem)]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8 = error
    # Excel in Norway saves CSV as Windows-1252 unless told otherwise.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        problem = msg(
            "is neither UTF-8 nor Windows-1252 text (byte {byte}); give its encoding with "
            "--encoding",
            byte=utf8.start + 1,
        )
        raise InputError([InputProblem(name, None, None, problem)]) from None


def open_xlsx(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ApplicationStream:
    """Open an Excel workbook: the first sheet (or *sheet*), a header row, one row each.

    Cells are read as Excel shows them: a formula gives the value Excel last worked out.
    Numbers and yes/no cells may be numbers and booleans. The sheet is read a row at a
    time. *encoding* and *delimiter* are for CSV files, and ignored here.
    """
    del encoding, delimiter
    from openpyxl import load_workbook  # noqa: PLC0415  (loaded only for workbooks)

    name = str(path)
    # Opened here, so that it is closed here too when the workbook turns out damaged.
    stream = _open_binary(name)
    try:
        with _quiet_openpyxl():
            book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  (a damaged workbook fails in many ways)
        stream.close()
        raise _not_a_workbook(name, error) from None

    def close() -> None:
        book.close()
        stream.close()

    def rows() -> Iterator[list[object]]:
        # Quiet only while openpyxl reads a row: warnings are the process's, and the caller
        # runs code of its own (and may read other files) between rows.
        try:
            with _quiet_openpyxl():
                sheet_rows = worksheet.iter_rows(values_only=True)
            while True:
                with _quiet_openpyxl():
                    row = next(sheet_rows, None)
                if row is None:
                    return
                yield list(row)
        except Exception as error:  # noqa: BLE001  (as above, met further on)
            raise _not_a_workbook(name, error) from None

    try:
        worksheet = _worksheet(name, book, sheet)
        return _stream_rows(name, rows(), close)
    except InputError:
        close()
        raise
    except Exception as error:  # noqa: BLE001  (as above)
        close()
        raise _not_a_workbook(name, error) from None
    except BaseException:
        close()
        raise


@contextlib.contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    """Leave out the warnings of openpyxl while it reads.

    What openpyxl leaves out of a workbook is not the user's to fix, and a date it cannot
    show it gives as ``#VALUE!``, which is a problem of its cell.
    """
    import warnings  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        yield


def _not_a_workbook(name: str, error: BaseException) -> InputError:
    detail = (str(error).splitlines() or [type(error).__name__])[0][:SHOWN]
    return InputError(
        [
            InputProblem(
                name,
                None,
                None,
                msg("is not an Excel workbook (.xlsx): {detail}", detail=detail),
            )
        ]
    )


def _worksheet(name: str, book: Any, sheet: str | None) -> Any:  # noqa: ANN401  (openpyxl's)
    """The sheet *sheet* of *book*, or its first."""
    if sheet is None:
        return book.worksheets[0]
    if sheet in book.sheetnames:
        return book[sheet]
    known = ", ".join(repr(n) for n in book.sheetnames)
    raise InputError(
        [
            InputProblem(
                name,
                None,
                None,
                msg("has no sheet {sheet!r}; its sheets: {known}", sheet=sheet, known=known),
            )
        ]
    )


def read_xlsx(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ApplicationFile:
    """Read an Excel workbook whole; see :func:`open_xlsx`."""
    return open_xlsx(path, sheet=sheet, encoding=encoding, delimiter=delimiter).read()


READERS: dict[str, Callable[..., ApplicationStream]] = {
    ".csv": open_csv,
    ".json": open_json,
    ".xlsx": open_xlsx,
}
"""The readers by file extension: each opens a file to read it row by row."""


def open_application_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ApplicationStream:
    """Open *path* (CSV, JSON or XLSX, by its extension) to read its rows one at a time.

    What is wrong with the file as a whole (it is missing, or not CSV, or has no header)
    raises :class:`InputError` here; the stream's ``problems`` hold those of its header, and
    each row comes with its own. *encoding* and *delimiter* override what is detected in
    CSV (and the encoding in JSON); *sheet* names the sheet of a workbook to read instead of
    the first.
    """
    suffix = Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        problem = (
            msg("cannot read {suffix} files; use one of {known}", suffix=suffix, known=known)
            if suffix
            else msg("cannot read a file without an extension; use one of {known}", known=known)
        )
        raise InputError(
            [
                InputProblem(
                    str(path),
                    None,
                    None,
                    problem,
                )
            ]
        )
    if reader is open_xlsx:
        return open_xlsx(path, sheet=sheet)
    return reader(path, encoding=encoding, delimiter=delimiter)


def read_application_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ApplicationFile:
    """Read every row of *path* (CSV, JSON or XLSX, by its extension), recording problems.

    *encoding* and *delimiter* override what is detected in CSV (and the encoding in
    JSON); *sheet* names the sheet of a workbook to read instead of the first.
    """
    return open_application_file(path, encoding=encoding, delimiter=delimiter, sheet=sheet).read()


def read_applications(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> list[Application]:
    """Read the applications in *path*; raises :class:`InputError` naming every problem."""
    result = read_application_file(path, encoding=encoding, delimiter=delimiter)
    result.raise_for_problems()
    return list(result.applications)
