"""Directives that show what the ``callkit`` command prints, run at build time.

``callkit-run``
    Runs ``callkit`` with the arguments of the directive and shows the command line, what
    it printed on standard output and its exit status, as a console session::

        ```{callkit-run} check intpart-2022 examples/uib-faculty-list.csv
        :exit: 1
        :select: ^Quotas
        ```

    Options trim what is shown to the part the page is about, marking each cut with ``[…]``:
    paragraphs of text (``:select:``), lines (``:lines:``), a part of a JSON document
    (``:json:``, ``:json-elide:``) and one event of an iCalendar file (``:ics-event:``).

``callkit-markdown``
    Runs ``callkit`` and parses what it printed as Markdown, to show a report of
    ``--format markdown`` as a reader of the email or wiki page sees it.

``callkit-workbook``
    Shows an Excel workbook that an earlier run wrote (``--output report.xlsx``), or an
    example list, as tables: every sheet, or those ``:sheets:`` names, with the column
    letters and row numbers Excel shows.

The command runs as ``python -m callkit`` with the Python that runs Sphinx, so the examples
show the callkit installed beside the documentation (``nox -s docs`` installs the source
tree). Every run has the same surroundings whoever builds: no colour (``NO_COLOR``), the
``C.UTF-8`` locale, no ``CALLKIT_*`` settings, and as its working directory a workspace in
the build directory that holds a copy of the source tree's ``examples`` folder, so that
``examples/uib-faculty-list.csv`` is found and files a run writes stay out of the sources.
``callkit_files`` and ``callkit_lists`` write the pages' other example files beside it.

A page that uses these directives is read again on every build, because what it shows
comes from the code rather than from the page.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import container_wrapper
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
"""The root of the source tree, whose ``examples`` folder the runs read."""

GENERATED = (
    "callkit-run",
    "callkit-markdown",
    "callkit-workbook",
    "callkit-schema",
    "callkit-file",
)
"""Directives whose output comes from the code: a page with one is read on every build."""

TIMEOUT = 120
"""Seconds a run may take before the build fails."""


def workspace(app: Sphinx) -> Path:
    """The working directory of every run, in the build directory."""
    return Path(app.doctreedir) / "callkit-workspace"


def _make_workspace(app: Sphinx) -> None:
    """A fresh workspace with a copy of the source tree's examples."""
    path = workspace(app)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    shutil.copytree(REPO / "examples", path / "examples")


@dataclass(frozen=True)
class Run:
    """What one run of ``callkit`` printed, and how it ended."""

    stdout: str
    stderr: str
    status: int


def run_callkit(args: Sequence[str], cwd: Path) -> Run:
    """Run ``callkit`` with *args* in *cwd*, as a reader would on a terminal without colour."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LC_", "CALLKIT_"))
        and key not in {"LANG", "LANGUAGE", "COLUMNS", "TERM"}
    }
    env |= {"NO_COLOR": "1", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    try:
        done = subprocess.run(  # noqa: S603  (the arguments are the page's own)
            [sys.executable, "-m", "callkit", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Run(stdout="", stderr=f"no answer after {TIMEOUT} seconds", status=-1)
    return Run(
        stdout=done.stdout.decode("utf-8", errors="replace"),
        stderr=done.stderr.decode("utf-8", errors="replace"),
        status=done.returncode,
    )


def _exit_status(text: str) -> int:
    return int(directives.nonnegative_int(text))


class _RunDirective(SphinxDirective):
    """Run ``callkit`` with the directive's argument; check the exit status and output."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "exit": _exit_status,
        "expect": directives.unchanged_required,
    }

    def run_command(self) -> Run:
        """Run the command, and warn when it did not end or print as the page says."""
        args = shlex.split(self.arguments[0])
        run = run_callkit(args, workspace(self.env.app))
        command = f"callkit {self.arguments[0]}"
        expected = self.options.get("exit")
        if expected is not None and run.status != expected:
            self._warn(f"{command!r} ended with status {run.status}, not {expected}", run)
        elif expected is None and run.status not in {0, 1}:
            self._warn(f"{command!r} ended with status {run.status}", run)
        wanted = self.options.get("expect")
        if wanted is not None and wanted not in run.stdout + run.stderr:
            self._warn(f"{command!r} did not print {wanted!r}", run)
        if run.stderr and not self.shows_stderr():
            self._warn(f"{command!r} wrote to standard error, which the page does not show", run)
        return run

    def shows_stderr(self) -> bool:
        """Whether the page shows what the command writes to standard error."""
        return False

    def _warn(self, message: str, run: Run) -> None:
        detail = (run.stderr or run.stdout).strip().splitlines()[-5:]
        logger.warning(
            "%s%s",
            message,
            "".join(f"\n    {line}" for line in detail),
            location=self.get_location(),
            type="callkit",
            subtype="run",
        )


ELIDED = "[…]"
"""What stands for the output left out of an excerpt."""


def _select(text: str, regex: re.Pattern[str]) -> str | None:
    """The paragraphs of *text* that *regex* finds, with ``[…]`` for those left out."""
    kept: list[str] = []
    skipped = False
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        if regex.search(paragraph):
            if skipped:
                kept.append(ELIDED)
            kept.append(paragraph)
            skipped = False
        else:
            skipped = True
    if not kept:
        return None
    if skipped:
        kept.append(ELIDED)
    return "\n\n".join(kept)


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(directives.unchanged_required(text), re.MULTILINE)
    except re.error as error:
        msg = f"not a regular expression: {error}"
        raise ValueError(msg) from None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _keep(lines: list[str], number: int, kept: list[bool]) -> None:
    """Mark line *number* kept, with the lines indented under it and those it is indented under."""
    line = lines[number]
    end = number + 1
    while end < len(lines) and lines[end].strip() and _indent(lines[end]) > _indent(line):
        end += 1
    kept[number:end] = [True] * (end - number)
    depth = _indent(line)
    for above in range(number - 1, -1, -1):
        if not lines[above].strip():
            break
        if _indent(lines[above]) < depth:
            kept[above] = True
            depth = _indent(lines[above])


def _lines(text: str, regex: re.Pattern[str]) -> str | None:
    """The lines of *text* that *regex* finds, with ``[…]`` for each run of lines left out.

    A line found keeps the lines indented under it (the rest of a wrapped finding, the
    source under a rule) and the lines it is indented under (the heading of its section).
    Blank lines stay where they separate lines kept.
    """
    lines = text.splitlines()
    kept = [False] * len(lines)
    for number, line in enumerate(lines):
        if line.strip() and regex.search(line):
            _keep(lines, number, kept)
    if not any(kept):
        return None
    shown: list[str] = []
    for line, keep in zip(lines, kept, strict=True):
        if keep or not line.strip():
            shown.append(line if keep else "")
        elif shown[-1:] != [ELIDED]:
            shown.append(ELIDED)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(shown)).strip("\n")
    return re.sub(rf"{re.escape(ELIDED)}(\n\n{re.escape(ELIDED)})+", ELIDED, text)


def _ics_event(text: str, uid: str) -> str | None:
    """The event of an iCalendar file whose ``UID`` is *uid*, with its line folding undone."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text).replace("\r\n", "\n")
    for event in re.findall(r"^BEGIN:VEVENT$.*?^END:VEVENT$", unfolded, re.MULTILINE | re.DOTALL):
        if f"\nUID:{uid}\n" in event:
            return f"{ELIDED}\n{event}\n{ELIDED}"
    return None


_MARK = "\x00"
"""Marks a part of a JSON document left out of an excerpt, around what is shown for it."""


def _elided(value: object) -> str:
    """What stands for *value*, left out of a JSON excerpt: ``{…}``, ``[…]`` or ``…``."""
    shown = "{…}" if isinstance(value, dict) else ELIDED if isinstance(value, list) else "…"
    return f"{_MARK}{shown}{_MARK}"


def _positions(items: list[Any], step: str) -> tuple[int, int]:
    """The positions of *items* that *step* names, from the first up to, not including, the last.

    A step is a position counted from 0, a slice ``START:END`` of positions, or
    ``KEY=VALUE``, the first item whose ``KEY`` is ``VALUE`` (written ``KEY="VALUE"`` when
    the value has a point in it).
    """
    key, equals, wanted = step.partition("=")
    if equals:
        wanted = wanted.removeprefix('"').removesuffix('"')
        for position, item in enumerate(items):
            if isinstance(item, dict) and str(item.get(key)) == wanted:
                return position, position + 1
        raise LookupError(f"no item has {key} {wanted!r}")
    first, _, last = step.partition(":")
    try:
        if _is_slice(step):
            chosen = range(len(items))[int(first or 0) : int(last) if last else None]
            if chosen:
                return chosen[0], chosen[-1] + 1
        else:
            position = range(len(items))[int(step)]
            return position, position + 1
    except (ValueError, IndexError):
        pass
    raise LookupError(f"{step!r} names no item of a list of {len(items)}")


def _is_slice(step: str) -> bool:
    return "=" not in step and ":" in step


def _json_step(value: object, step: str) -> Any:  # noqa: ANN401  (any part of a JSON document)
    """The part of *value* that one step of a path names: a key of an object, or items of a list.

    A step that names one item of a list gives the item; a slice gives a list.
    """
    if isinstance(value, dict):
        if step not in value:
            raise LookupError(f"no key {step!r}; the keys are {', '.join(value)}")
        return value[step]
    if isinstance(value, list):
        first, last = _positions(value, step)
        return value[first:last] if _is_slice(step) else value[first]
    raise TypeError(f"{step!r} names a part of a value that has none")


def _json_path(value: object, path: str) -> Any:  # noqa: ANN401  (any part of a JSON document)
    """The part of *value* that *path*, steps separated by points, names."""
    for step in _steps(path):
        value = _json_step(value, step)
    return value


_STEP = re.compile(r'([^.="]+="[^"]*"|[^.]+)(?:\.|$)')
"""A step of a path: ``KEY="VALUE"`` (a value with points in it), or text up to a point."""


def _steps(path: str) -> list[str]:
    """The steps of *path*: ``applications.source="a.json:2".ok`` has three."""
    steps = [match.group(1) for match in _STEP.finditer(path)]
    if ".".join(steps) != path:
        raise ValueError(f"{path!r} is not a path of keys, positions and KEY=VALUE")
    return steps


def _json_elide(value: object, path: str) -> None:
    """Leave out of *value*, in place, the part that *path* names."""
    *steps, last = _steps(path)
    parent = _json_path(value, ".".join(steps)) if steps else value
    if isinstance(parent, dict):
        parent[last] = _elided(_json_step(parent, last))
    elif isinstance(parent, list):
        first, end = _positions(parent, last)
        parent[first:end] = [f"{_MARK}…{_MARK}"]
    else:
        raise TypeError(f"{last!r} names a part of a value that has none")


def _json_excerpt(text: str, path: str | None, elide: Sequence[str]) -> str:
    """A part of the JSON document *text*, written as callkit writes JSON.

    *path* names the part shown (the whole document without it), which is then shown between
    two ``[…]``; *elide* names parts of it that are left out, each shown as ``{…}``, ``[…]``
    or ``…``.
    """
    value = json.loads(text)
    if path:
        value = _json_path(value, path)
    for part in elide:
        _json_elide(value, part)
    dumped = json.dumps(value, ensure_ascii=False, indent=2)
    mark = re.escape(json.dumps(_MARK)[1:-1])
    dumped = re.sub(f'"{mark}(.*?){mark}"', r"\1", dumped)
    return f"{ELIDED}\n{dumped}\n{ELIDED}" if path else dumped


def _paths(text: str) -> list[str]:
    return [part.strip() for part in directives.unchanged_required(text).split(",")]


_PROMPT_LIKE = re.compile(r"^\s*[$#%>]", re.MULTILINE)
"""Output lines the console highlighter would take for a prompt (a Markdown heading)."""


class CallkitRun(_RunDirective):
    """A console session: the command, what it printed and its exit status.

    Options: ``:exit:`` the exit status the command must end with; ``:expect:`` text the
    command must print (on either stream); ``:stderr:`` shows standard error in a block of
    its own after the session. What is shown of standard output can be trimmed, with ``[…]``
    where a part is left out:

    ``:json:``
        A path to the part of a JSON document shown: keys of objects and, in lists,
        positions counted from 0, slices (``2:4``) or ``KEY=VALUE`` (the first item whose
        ``KEY`` is ``VALUE``), separated by points: ``applications.11.findings.0``,
        ``rules.id=budget-per-year``.
    ``:json-elide:``
        Paths, separated by commas, to parts of the JSON shown that are left out: a key's
        value is shown as ``{…}``, ``[…]`` or ``…``, items of a list as one ``…``.
    ``:ics-event:``
        The ``UID`` of the event of an iCalendar file shown, with the file's line folding
        undone.
    ``:select:``
        A regular expression: only the paragraphs (separated by blank lines) that match it
        are shown.
    ``:lines:``
        A regular expression: only the lines that match it are shown, each with the lines
        indented under it and those it is indented under.

    A run that ends with another status than ``:exit:`` (or, without it, with a status
    other than 0 or 1), that does not print what ``:expect:`` says, that writes to standard
    error without ``:stderr:``, or of which an option selects nothing, is a warning: the page
    never shows output other than it says.
    """

    option_spec: ClassVar[dict[str, Any]] = {
        **_RunDirective.option_spec,
        "json": directives.unchanged_required,
        "json-elide": _paths,
        "ics-event": directives.unchanged_required,
        "select": _regex,
        "lines": _regex,
        "stderr": directives.flag,
    }

    def shows_stderr(self) -> bool:
        """Whether ``:stderr:`` asks for standard error."""
        return "stderr" in self.options

    def excerpt(self, run: Run) -> str:
        """What the page shows of the standard output of *run*."""
        shown = run.stdout.rstrip("\n")
        options = self.options
        if "json" in options or "json-elide" in options:
            try:
                shown = _json_excerpt(shown, options.get("json"), options.get("json-elide", []))
            except (ValueError, LookupError, TypeError) as error:
                self._warn(f"cannot show the JSON asked for: {error}", run)
        if "ics-event" in options:
            event = _ics_event(shown, options["ics-event"])
            if event is None:
                self._warn(f"no event has the UID {options['ics-event']}", run)
            shown = event or ""
        for option, trim in (("select", _select), ("lines", _lines)):
            if option in options:
                trimmed = trim(shown, options[option])
                if trimmed is None:
                    self._warn(f"nothing matches :{option}: {options[option].pattern}", run)
                shown = trimmed or ""
        return shown

    def run(self) -> list[nodes.Node]:
        """Run the command and show it."""
        run = self.run_command()
        shown = self.excerpt(run)
        session = f"$ callkit {self.arguments[0]}" + (f"\n{shown}" if shown else "")
        literal = nodes.literal_block(session, session)
        literal["language"] = "text" if _PROMPT_LIKE.search(shown) else "console"
        literal["classes"].append("callkit-run")
        self.set_source_info(literal)
        result: list[nodes.Node] = [container_wrapper(self, literal, f"exit status {run.status}")]
        if "stderr" in self.options and run.stderr:
            errors = run.stderr.rstrip("\n")
            error_block = nodes.literal_block(errors, errors, language="text")
            error_block["classes"].append("callkit-stderr")
            self.set_source_info(error_block)
            result.append(container_wrapper(self, error_block, "standard error"))
        return result


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _headings_as_rubrics(markdown: str) -> str:
    """*markdown* with each heading made a rubric: a heading that opens no section of the page."""
    lines = []
    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if match:
            level = len(match.group(1))
            lines += [f"```{{rubric}} {match.group(2)}", f":heading-level: {level}", "```"]
        else:
            lines.append(line)
    return "\n".join(lines)


class CallkitMarkdown(_RunDirective):
    """What the command prints, parsed as Markdown, in a frame: a report as its reader sees it.

    Options: ``:exit:`` and ``:expect:`` as for ``callkit-run``.
    """

    def run(self) -> list[nodes.Node]:
        """Run the command and parse its output."""
        run = self.run_command()
        frame = nodes.container(classes=["callkit-rendered"])
        self.set_source_info(frame)
        frame += self.parse_text_to_nodes(_headings_as_rubrics(run.stdout))
        return [frame]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.strip().upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_LOCALES = {
    # thousands separator, decimal mark, TRUE, FALSE: as Excel shows them in each language
    "en": (",", ".", "TRUE", "FALSE"),
    "nb": ("\u00a0", ",", "SANN", "USANN"),
}


def _shown(value: object, number_format: str, locale: str) -> str:
    """A cell's value as Excel shows it, for the number formats callkit's files use."""
    thousands, decimal, true, false = _LOCALES[locale]
    if value is None:
        return ""
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, int | float):
        grouped = "#,##0" in number_format
        text = f"{value:,}" if grouped else f"{value}"
        if isinstance(value, float) and value.is_integer() and not grouped:
            text = str(int(value))
        return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _locale(text: str) -> str:
    return str(directives.choice(text, tuple(_LOCALES)))


class CallkitWorkbook(SphinxDirective):
    """An Excel workbook in the workspace, shown sheet by sheet as Excel shows it.

    The argument is the workbook's path in the workspace (a file an earlier ``callkit-run``
    wrote with ``--output``, or an example list). Options: ``:sheets:`` the sheets to show,
    separated by commas (default: all, in order); ``:columns:`` the columns to show, as
    letters separated by commas (default: all); ``:max-rows:`` how many rows to show after
    the heading row of each sheet, the rest counted in a last row; ``:locale:`` ``en`` (the
    default) or ``nb``, how Excel in that language shows numbers and TRUE/FALSE.
    """

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "sheets": directives.unchanged_required,
        "columns": directives.unchanged_required,
        "max-rows": directives.nonnegative_int,
        "locale": _locale,
    }

    def run(self) -> list[nodes.Node]:
        """Read the workbook and make a table of each sheet."""
        from openpyxl import load_workbook  # noqa: PLC0415  (only the documentation needs it)

        path = workspace(self.env.app) / self.arguments[0]
        try:
            book = load_workbook(path)
        except (OSError, ValueError, KeyError) as error:
            logger.warning(
                "cannot read the workbook %s: %s",
                self.arguments[0],
                error,
                location=self.get_location(),
                type="callkit",
                subtype="workbook",
            )
            return []
        names = [n.strip() for n in self.options.get("sheets", "").split(",") if n.strip()]
        missing = [n for n in names if n not in book.sheetnames]
        if missing:
            logger.warning(
                "%s has no sheet %s; its sheets are %s",
                self.arguments[0],
                ", ".join(missing),
                ", ".join(book.sheetnames),
                location=self.get_location(),
                type="callkit",
                subtype="workbook",
            )
        sheets = [book[n] for n in names if n in book.sheetnames] if names else list(book)
        return [self._table(sheet) for sheet in sheets]

    def _columns(self, width: int) -> list[int]:
        if "columns" not in self.options:
            return list(range(1, width + 1))
        return [_column_number(c) for c in self.options["columns"].split(",") if c.strip()]

    def _table(self, sheet: Any) -> nodes.table:  # noqa: ANN401  (openpyxl is untyped)
        locale = self.options.get("locale", "en")
        columns = self._columns(sheet.max_column)
        rows = list(sheet.iter_rows())
        limit = self.options.get("max-rows")
        left_out = 0
        if limit is not None and len(rows) > limit + 1:
            left_out = len(rows) - limit - 1
            rows = rows[: limit + 1]

        table = nodes.table(classes=["callkit-workbook"])
        title = f"Sheet “{sheet.title}”"
        table += nodes.title(title, title)
        group = nodes.tgroup(cols=len(columns) + 1)
        table += group
        group += nodes.colspec(colwidth=1, stub=1)
        for _ in columns:
            group += nodes.colspec(colwidth=10)

        def row_of(first: str, cells: list[nodes.Node]) -> nodes.row:
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph(first, first), classes=["callkit-rownumber"])
            for content in cells:
                entry = nodes.entry()
                if content.astext():
                    entry += nodes.paragraph("", "", content)
                row += entry
            return row

        head = nodes.thead()
        head += row_of("", [nodes.Text(_column_letters(c)) for c in columns])
        group += head
        body = nodes.tbody()
        for cells in rows:
            by_column = {cell.column: cell for cell in cells}
            shown: list[nodes.Node] = []
            for column in columns:
                cell = by_column.get(column)
                text = "" if cell is None else _shown(cell.value, cell.number_format, locale)
                node: nodes.Node = nodes.Text(text)
                if cell is not None and cell.font is not None and cell.font.b and text:
                    node = nodes.strong(text, text)
                shown.append(node)
            body += row_of(str(cells[0].row), shown)
        if left_out:
            more = f"({left_out} more rows)" if left_out > 1 else "(1 more row)"
            body += row_of("…", [nodes.Text(more), *(nodes.Text("") for _ in columns[1:])])
        group += body
        self.set_source_info(table)
        return table


def _always_read(
    _app: Sphinx,
    env: BuildEnvironment,
    _added: set[str],
    _changed: set[str],
    _removed: set[str],
) -> list[str]:
    """The pages that show generated output: read them again, since the code may have changed."""
    pages = []
    for docname in env.found_docs:
        try:
            text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
        except OSError:
            continue
        if any(f"{{{name}}}" in text for name in GENERATED):
            pages.append(docname)
    return pages


CSS = """\
.callkit-rendered {
  border: 1px solid var(--color-background-border);
  border-radius: 0.25rem;
  padding: 0 1rem;
  margin: 1rem 0;
}
.callkit-rendered h1.rubric { font-size: 1.5em; }
.callkit-rendered h2.rubric { font-size: 1.25em; }
.callkit-rendered h3.rubric { font-size: 1.1em; }
table.callkit-workbook td, table.callkit-workbook th { white-space: pre-wrap; }
table.callkit-workbook thead th, table.callkit-workbook .callkit-rownumber {
  color: var(--color-foreground-muted);
  font-weight: normal;
  text-align: center;
}
"""
"""Styles of the directives' output: the frame of a rendered report, and the look of a sheet."""


def _write_css(app: Sphinx, error: Exception | None) -> None:
    if error is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "callkit-run.css").write_text(CSS, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, make the workspace, and read their pages on every build."""
    app.add_directive("callkit-run", CallkitRun)
    app.add_directive("callkit-markdown", CallkitMarkdown)
    app.add_directive("callkit-workbook", CallkitWorkbook)
    app.connect("builder-inited", _make_workspace, priority=400)
    app.connect("env-get-outdated", _always_read)
    app.connect("build-finished", _write_css)
    app.add_css_file("callkit-run.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
