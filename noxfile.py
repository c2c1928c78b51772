"""Every task of the project, run with nox: ``nox`` runs the checks CI runs.

Each session uses the Python that runs nox, so CI never skips a session for want of an
interpreter.

Sessions: ``tests`` (pytest against the installed package), ``lint`` (ruff), ``typing``
(mypy --strict), ``docs`` (Sphinx, warnings are errors), ``demo`` (the main job: the
shipped example applications checked against intpart-2022), ``i18n`` (the message
catalogues brought up to date with the code; not run by default), and ``bench`` (the cost
of plugin discovery, checking, reading and start-up; not run by default).
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typing", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

EXAMPLES = ["examples/uib-faculty-list.csv", "examples/applications.json"]


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite against the installed package, not the source tree."""
    session.install(".[tests]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typing(session: nox.Session) -> None:
    """Type-check the package, its tests and this file with mypy --strict."""
    session.install(".[typing]", "nox")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation; any warning fails the build."""
    session.install(".[docs]")
    session.run(
        "sphinx-build",
        "--fail-on-warning",
        "--nitpicky",
        "--keep-going",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
    )


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: check the example applications against intpart-2022.

    Exit status 1 means the report has error findings, as the examples are meant to.
    """
    session.install(".")
    session.run("callkit", "check", "intpart-2022", *EXAMPLES, success_codes=[0, 1])


LOCALE = "src/callkit/locale"
KEYWORDS = ["msg", "msgs:1,2", "tr", "N_"]
"""The functions whose first arguments are messages: see ``callkit._i18n``."""


@nox.session(default=False)
def i18n(session: nox.Session) -> None:
    """Bring the message catalogues up to date with the code.

    Extracts every message into ``callkit.pot``, merges it into each language's ``.po``
    (new messages arrive untranslated, for a translator to fill in), and compiles the
    ``.mo`` files callkit reads. The tests fail while a message lacks a translation.
    """
    session.install("babel>=2.14")
    pot = f"{LOCALE}/callkit.pot"
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    session.run(
        "pybabel",
        "extract",
        "--no-default-keywords",
        *keywords,
        "--sort-output",
        "--no-location",
        "--omit-header",
        "--output-file",
        pot,
        "src/callkit",
    )
    session.run(
        "pybabel",
        "update",
        "--input-file",
        pot,
        "--output-dir",
        LOCALE,
        "--domain",
        "callkit",
        "--ignore-obsolete",
        "--no-fuzzy-matching",
    )
    session.run("pybabel", "compile", "--directory", LOCALE, "--domain", "callkit", "--statistics")


BENCH_ONLY = ["pydantic>=2", "fastjsonschema"]
"""What the benchmarks compare callkit with; never dependencies of callkit."""


@nox.session
def bench(session: nox.Session) -> None:
    """Time plugin discovery, checking, reading and start-up (the scripts in benchmarks/).

    ``bench_discovery.py`` times plugin discovery against a bare entry point scan, and
    ``bench_check.py`` checking and reading applications against pydantic, fastjsonschema
    and plain Python, start-up and memory. Without arguments both run. Arguments after
    ``--`` go to one script, named first: ``-- check --apps 10000`` or
    ``-- discovery --sizes 10,100``; arguments without a name go to bench_discovery.py,
    as they always have (``-- --sizes 10,100 --repeats 3``). ``-- hostile`` runs only
    ``bench_hostile.py``, which streams millions of rows through a pipe (a few minutes),
    and never runs unless named.
    """
    session.install(".", *BENCH_ONLY)
    scripts = {"discovery": "benchmarks/bench_discovery.py", "check": "benchmarks/bench_check.py"}
    named = {**scripts, "hostile": "benchmarks/bench_hostile.py"}
    args = session.posargs
    if args and args[0] in named:
        session.run("python", named[args[0]], *args[1:])
    elif args:
        session.run("python", scripts["discovery"], *args)
    else:
        for script in scripts.values():
            session.run("python", script)
