"""Reading applications from CSV and JSON files.

A reader never stops at the first problem: it reads every row it can, records every cell
it cannot read (file, row and field), and keeps the rest of that row, so that a report can
show every row of the input.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from callkit._application import FIELDS, Application
from callkit._countries import country_code, nearest_countries, normalise_name
from callkit._errors import InputError, InputProblem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

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


def _as_json(value: object) -> str:
    """A JSON value as JSON text; exact numbers as they were written."""
    return json.dumps(value, default=str, ensure_ascii=False)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool | dict | list):
        raise _CellError(f"expected text, got {_as_json(value)[:40]}")
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
        raise _CellError(f"expected a list or text separated by '{LIST_SEPARATOR}'")
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


_SHOWN = 60


def _shown(value: object) -> str:
    """A cell's value for a message, cut short if it is long."""
    if isinstance(value, Decimal):
        value = f"{value:f}" if abs(value.adjusted()) < 40 else str(value)  # noqa: PLR2004
    text = repr(value if isinstance(value, str) else str(value))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 4] + "...'"


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
        raise _CellError(f"expected a number, got {str(value).lower()}")
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        if not value.strip():
            return None
        parsed = parse_number(value)
        if parsed is None:
            raise _CellError(f"{_shown(value)} is not a number")
        return parsed
    raise _CellError(f"expected a number, got {type(value).__name__}")


def _number(value: object) -> Decimal | None:
    number = None if value is None else _native_number(value)
    if number is None:
        return None
    if not number.is_finite() or number < 0:
        raise _CellError(f"{_shown(value)} is not a non-negative number")
    exponent = number.as_tuple().exponent
    if number.adjusted() >= MAX_DIGITS or (isinstance(exponent, int) and -exponent > MAX_DIGITS):
        raise _CellError(
            f"{_shown(value)} has more than {MAX_DIGITS} digits before or after the point"
        )
    return number.copy_abs() if number.is_zero() else number  # -0 is 0


def _whole(value: object) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number != number.to_integral_value() or not 1 <= number <= MAX_RANK:
        raise _CellError(f"{_shown(value)} is not a whole number from 1 to {MAX_RANK}")
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
    raise _CellError(f"{_shown(value)} is neither yes nor no (yes/no, true/false, ja/nei)")


def _country(text: str) -> str:
    code = country_code(text)
    if code is None:
        hint = nearest_countries(text)
        message = f"unknown country {_shown(text)}"
        if hint:
            message += "; did you mean " + " or ".join(hint) + "?"
        raise _CellError(message)
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
        raise _CellError(f"{_shown(text)} is not a currency code such as NOK or EUR")
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


def _readable(raw: object) -> object:
    """*raw*, unless the cell cannot be read at all: too long, or a spreadsheet's error."""
    for text in raw if isinstance(raw, list) else (raw,):
        if not isinstance(text, str):
            continue
        if len(text) > MAX_CELL:
            msg = f"the cell has {len(text)} characters, more than the {MAX_CELL} a cell holds"
            raise _CellError(msg)
        if text.startswith("#") and text in _SPREADSHEET_ERRORS:
            raise _CellError(f"the cell holds the spreadsheet error {text}, not a value")
    return raw


def _build(
    path: str,
    row: int,
    cells: Iterable[tuple[str, object]],
    problems: list[InputProblem],
    required: Iterable[str] = _REQUIRED,
) -> Application:
    """Build the application of one row; append what cannot be read to *problems*.

    *required* are the required fields the file has a column for: a column missing
    altogether is one problem of the header row, not one of every row.
    """
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    unread: set[str] = set()
    for field, raw in cells:
        if field not in FIELDS:
            if raw not in (None, ""):
                extra[field] = raw if isinstance(raw, str) else _as_json(raw)
            continue
        parse = _PARSERS.get(field, _text)
        try:
            value = parse(_readable(raw))
        except _CellError as error:
            problems.append(InputProblem(path, row, field, str(error)))
            unread.add(field)
            continue
        if value is not None and value != ():
            values[field] = value
    problems.extend(
        InputProblem(path, row, field, f"the {field} is missing")
        for field in required
        if field not in values and field not in unread
    )
    values.setdefault("title", "")
    values.setdefault("institution", "")
    return Application(**values, extra=extra, source=f"{path}:{row}")


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
                warnings.append(f"{path}: unknown column {_shown(name)}, kept as extra data")
            columns.append(name)
            names.add(name)
            continue
        if field in seen:
            problems.append(
                InputProblem(
                    path,
                    1,
                    field,
                    f"the columns {_shown(seen[field])} and {_shown(heading)} both give "
                    f"the {field}",
                )
            )
        seen[field] = heading
        columns.append(field)
        names.add(field)
    problems.extend(
        InputProblem(path, 1, field, f"there is no {field!r} column in the header row")
        for field in _REQUIRED
        if field not in seen
    )
    return columns


def _delimiter(text: str) -> str:
    """The separator the header row uses: a comma, or a semicolon or tab as some write."""
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])  # quoted headings aside
    return max((",", ";", "\t"), key=header.count)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _read_rows(name: str, rows: Sequence[Sequence[object]]) -> ApplicationFile:
    """Applications from rows of cells, the first row the headings (as a spreadsheet has)."""
    if not rows or all(_blank(cell) for cell in rows[0]):
        raise InputError([InputProblem(name, 1, None, "the file has no header row")])
    problems: list[InputProblem] = []
    warnings: list[str] = []
    headings = ["" if cell is None else str(cell) for cell in rows[0]]
    columns = _columns(name, headings, problems, warnings)
    required = [field for field in _REQUIRED if field in columns]
    applications = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(_blank(cell) for cell in cells):
            continue
        if len(cells) > len(columns) and not all(_blank(c) for c in cells[len(columns) :]):
            problems.append(
                InputProblem(
                    name,
                    number,
                    None,
                    f"the row has {len(cells)} cells but the "
                    f"header has {len(columns)}; the extra cells are ignored",
                )
            )
        cells_by_field = zip(columns, cells, strict=False)
        applications.append(_build(name, number, cells_by_field, problems, required))
    return ApplicationFile(name, tuple(applications), tuple(problems), tuple(warnings))


def read_csv(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> ApplicationFile:
    """Read a CSV file: a header row, then one application per row.

    The text is UTF-8 (a byte-order mark is allowed) or else Windows-1252, as Excel saves
    CSV in Norway, unless *encoding* says otherwise. The separator is a comma, or a
    semicolon or a tab when the header row uses one, unless *delimiter* says otherwise.
    """
    name = str(path)
    text = _read_text(name, encoding)
    separator = delimiter or _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        problem = str(error)
        if problem.startswith("field larger than field limit"):
            problem = (
                f"a cell has more than {csv.field_size_limit()} characters "
                "(is a quotation mark left open?)"
            )
        raise InputError(
            [InputProblem(name, reader.line_num or None, None, f"not valid CSV: {problem}")]
        ) from None
    return _read_rows(name, rows)


def read_json(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> ApplicationFile:
    """Read a JSON file holding a list of objects, one per application.

    *delimiter* is for CSV files, and ignored here.
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
                    f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                )
            ]
        ) from None
    except RecursionError:
        raise InputError([InputProblem(name, None, None, "JSON nested too deeply")]) from None
    if not isinstance(data, list):
        raise InputError(
            [InputProblem(name, None, None, "expected a list of applications (a JSON array)")]
        )
    try:
        return read_records(data, name)
    except RecursionError:  # nested just less deeply than the parser allows
        raise InputError([InputProblem(name, None, None, "JSON nested too deeply")]) from None


def read_records(data: list[Any], name: str) -> ApplicationFile:
    """Read applications from plain records (dicts), as a JSON file holds them.

    *name* stands for the file in sources and problems; row numbers count from 1.
    """
    problems: list[InputProblem] = []
    warnings: list[str] = []
    unknown: set[str] = set()
    applications = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(InputProblem(name, number, None, "expected an object"))
            applications.append(Application(title="", institution="", source=f"{name}:{number}"))
            continue
        cells = []
        keys: dict[str, str] = {}
        for key, value in item.items():
            field = field_for_heading(str(key))
            if field is None:
                unknown.add(str(key))
            elif field in keys:
                problems.append(
                    InputProblem(
                        name,
                        number,
                        field,
                        f"the keys {_shown(keys[field])} and {_shown(key)} both give "
                        f"the {field}; only {_shown(key)} is read",
                    )
                )
            else:
                keys[field] = str(key)
            cells.append((field or str(key), value))
        applications.append(_build(name, number, cells, problems))
    warnings.extend(f"{name}: unknown key {_shown(k)}, kept as extra data" for k in sorted(unknown))
    return ApplicationFile(name, tuple(applications), tuple(problems), tuple(warnings))


def _read_text(name: str, encoding: str | None = None) -> str:
    """The text of a file, in *encoding* or else as detected.

    Detected means UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order
    mark (as Excel saves "Unicode text"), or else Windows-1252. A byte-order mark inside the
    text, as where two files were joined, is no character of it and is left out.
    """
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError([InputProblem(name, None, None, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([InputProblem(name, None, None, "is a folder, not a file")]) from None
    except OSError as error:
        raise InputError(
            [InputProblem(name, None, None, f"cannot be read: {error.strerror or error}")]
        ) from None
    return _decode(name, data, encoding).replace("\ufeff", "")


def _decode(name: str, data: bytes, encoding: str | None) -> str:
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            problem = f"is not {encoding} text (byte {error.start + 1})"
            raise InputError([InputProblem(name, None, None, problem)]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8 = error
    # Excel in Norway saves CSV as Windows-1252 unless told otherwise.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        problem = (
            f"is neither UTF-8 nor Windows-1252 text (byte {utf8.start + 1}); "
            "give its encoding with --encoding"
        )
        raise InputError([InputProblem(name, None, None, problem)]) from None


def read_xlsx(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ApplicationFile:
    """Read an Excel workbook: the first sheet (or *sheet*), a header row, one row each.

    Cells are read as Excel shows them: a formula gives the value Excel last worked out.
    Numbers and yes/no cells may be numbers and booleans. *encoding* and *delimiter* are
    for CSV files, and ignored here.
    """
    del encoding, delimiter
    import warnings  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415  (loaded only for workbooks)

    name = str(path)
    _read_text_check(name)
    try:
        # Opened here, so that it is closed here too when the workbook turns out damaged.
        with Path(name).open("rb") as stream, warnings.catch_warnings():
            # What openpyxl leaves out of a workbook is not the user's to fix, and a date it
            # cannot show it gives as #VALUE!, which is a problem of its cell.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            book = load_workbook(stream, read_only=True, data_only=True)
            try:
                if sheet is None:
                    worksheet = book.worksheets[0]
                elif sheet in book.sheetnames:
                    worksheet = book[sheet]
                else:
                    known = ", ".join(repr(n) for n in book.sheetnames)
                    problem = f"has no sheet {sheet!r}; its sheets: {known}"
                    raise InputError([InputProblem(name, None, None, problem)])
                rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
            finally:
                book.close()
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001  (a damaged workbook fails in many ways)
        detail = (str(error).splitlines() or [type(error).__name__])[0][:_SHOWN]
        raise InputError(
            [InputProblem(name, None, None, f"is not an Excel workbook (.xlsx): {detail}")]
        ) from None
    return _read_rows(name, rows)


def _read_text_check(name: str) -> None:
    """Refuse a path that is missing or a folder, as the text readers do."""
    path = Path(name)
    if not path.exists():
        raise InputError([InputProblem(name, None, None, "no such file")])
    if path.is_dir():
        raise InputError([InputProblem(name, None, None, "is a folder, not a file")])


READERS: dict[str, Callable[..., ApplicationFile]] = {
    ".csv": read_csv,
    ".json": read_json,
    ".xlsx": read_xlsx,
}
"""The readers by file extension."""


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
    suffix = Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        kind = f"{suffix} files" if suffix else "a file without an extension"
        raise InputError(
            [InputProblem(str(path), None, None, f"cannot read {kind}; use one of {known}")]
        )
    if reader is read_xlsx:
        return read_xlsx(path, sheet=sheet)
    return reader(path, encoding=encoding, delimiter=delimiter)


def read_applications(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> list[Application]:
    """Read the applications in *path*; raises :class:`InputError` naming every problem."""
    result = read_application_file(path, encoding=encoding, delimiter=delimiter)
    result.raise_for_problems()
    return list(result.applications)
