"""Every task of the project, run with nox: ``nox`` runs the checks CI runs.

Each session uses the Python that runs nox, so CI never skips a session for want of an
interpreter.

Sessions: ``tests`` (pytest against the installed package), ``lint`` (ruff), ``typing``
(mypy --strict), ``docs`` (Sphinx, warnings are errors), ``demo`` (the main job: the
shipped example applications checked against intpart-2022), and ``bench`` (the cost of
plugin discovery; not run by default).
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


@nox.session
def bench(session: nox.Session) -> None:
    """Time plugin discovery against a bare entry point scan (benchmarks/bench_discovery.py).

    Arguments after ``--`` go to the script, such as ``--sizes 10,100 --repeats 3``.
    """
    session.install(".")
    session.run("python", "benchmarks/bench_discovery.py", *session.posargs)
