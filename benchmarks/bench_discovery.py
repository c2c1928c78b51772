"""How much callkit's plugin discovery costs beside a bare entry point scan.

For each size (10, 100 and 1000 installed distributions by default) the script writes a
folder of synthetic distributions: ``*.dist-info`` folders with ``METADATA``, ``RECORD``
and, for most, ``entry_points.txt``. Most are not callkit plugins (console scripts, pytest
plugins, or no entry points at all); one in twenty registers a call as a definition file,
with the file in a package folder beside it. Then, in fresh subprocesses with that folder
on ``PYTHONPATH``, it times

``bare_scan_ms_N``
    in the process, with ``importlib.metadata`` imported beforehand:
    ``importlib.metadata.entry_points(group="callkit.calls")``;
``discover_ms_N``
    in the process, with ``callkit`` and ``importlib_metadata`` imported beforehand:
    ``callkit.Registry.from_entry_points().ids()``, which is what ``callkit.list_calls()``
    does;
``bare_process_ms_N``
    the wall time of a whole ``python -c`` process that imports ``importlib.metadata`` and
    does the bare scan;
``list_process_ms_N``
    the wall time of a whole ``python -c`` process that imports ``callkit`` and calls
    ``callkit.list_calls()``;
``calls_cli_ms_N``
    the wall time of ``python -m callkit calls --format json``, which discovers the plugins
    and reads every call's title and deadline, from callkit's cache of summaries once the
    run that is not counted has filled it;
``calls_cli_nocache_ms_N``
    the same with ``CALLKIT_DISABLE_CACHE=1``: every definition file parsed, as on a first
    run or after a plugin changed,

each the median of several runs, after one run that is not counted; the four whole
processes take turns, a run of each a round, so that a busy machine weighs on the
numerator and the denominator of a ratio alike. The distributions are
left for two seconds before anything is timed, as installed plugins are older than that. The
measured processes keep callkit's cache in a folder of the benchmark's own
(``XDG_CACHE_HOME``), never the user's. The fixed costs are given once, without the
synthetic folder: ``python_startup_ms`` (``python -c pass``) and ``import_callkit_ms``
(``python -c "import callkit"``). It prints one line per figure, ``name: value``, and ends
with the ratios ``ids_ratio_N`` (``discover`` over ``bare_scan``: the scans alone),
``list_ratio_N`` (``list_process`` over ``bare_process``), ``calls_ratio_N`` (``calls_cli``
over ``bare_process``) and ``calls_ratio_nocache_N`` (``calls_cli_nocache`` over
``bare_process``).

Run it with ``nox -s bench``, or ``python benchmarks/bench_discovery.py`` where callkit is
installed. It writes only inside a temporary folder, which it removes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

GROUP = "callkit.calls"
PLUGIN_EVERY = 20
"""One distribution in this many registers a call."""

SETTLE_S = 2.1
"""How long the synthetic distributions are left before anything is timed, in seconds.

callkit's cache of summaries does not keep a definition file changed in the last two
seconds (a second change within the file system's clock tick could go unseen); the
plugins of a real environment were installed before it is listed.
"""

DEFINITION = """\
api = 1
id = "{call_id}"
currency = "EUR"
effective = 2030-01-01
title = {{ nb = "Syntetisk utlysning {number}", en = "Synthetic call {number}" }}
programme = {{ nb = "Syntetisk", en = "Synthetic" }}
funder = {{ nb = "Syntetisk fond", en = "Synthetic Fund" }}
sources = [{{ key = "web", url = "https://example.org/{call_id}", title = "Synthetic" }}]

[[milestones]]
kind = "deadline"
title = {{ nb = "Frist", en = "Deadline" }}
date = 2030-03-01
time = 12:00:00
zone = "Europe/Oslo"
provenance = {{ source = "web" }}

[[rules]]
kind = "amount"
id = "budget-total"
title = {{ nb = "Beløp", en = "Amount" }}
field = "requested_total"
maximum = {{ amount = "100000", currency = "EUR" }}
provenance = {{ source = "web", quote = "At most EUR 100 000." }}
"""

BARE_SCAN = """\
import json, time
import importlib.metadata
start = time.perf_counter()
names = [ep.name for ep in importlib.metadata.entry_points(group="callkit.calls")]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "count": len(names)}))
"""

DISCOVER = """\
import json, time
import callkit, importlib_metadata
start = time.perf_counter()
ids = callkit.Registry.from_entry_points().ids()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "count": len(ids)}))
"""

BARE_PROCESS = "import importlib.metadata; importlib.metadata.entry_points(group='callkit.calls')"

LIST_PROCESS = "import callkit; callkit.list_calls()"


def write_distribution(site: Path, number: int) -> bool:
    """Write the synthetic distribution *number* into *site*; return whether it is a plugin."""
    name = f"bench-dist-{number:04d}"
    package = f"bench_dist_{number:04d}"
    info = site / f"{package}-1.{number % 7}.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        textwrap.dedent(f"""\
            Metadata-Version: 2.3
            Name: {name}
            Version: 1.{number % 7}.0
            Summary: A synthetic distribution for the discovery benchmark
            Requires-Python: >=3.11
            License-Expression: MIT
            Requires-Dist: attrs>=23
            """),
        encoding="utf-8",
    )
    (info / "WHEEL").write_text(
        "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        encoding="utf-8",
    )
    (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    (site / package).mkdir()
    (site / package / "__init__.py").write_text("", encoding="utf-8")
    files = [f"{package}/__init__.py"]
    kind = number % PLUGIN_EVERY
    entry_points = ""
    plugin = kind == 0
    if plugin:
        call_id = f"bench-call-{number:04d}"
        (site / package / "call.toml").write_text(
            DEFINITION.format(call_id=call_id, number=number), encoding="utf-8"
        )
        files.append(f"{package}/call.toml")
        entry_points = f"[{GROUP}]\n{call_id} = {package}/call.toml\n"
    elif kind in {1, 2, 3, 4, 5, 6}:
        entry_points = (
            f"[console_scripts]\n{name} = {package}:main\n{name}-admin = {package}:admin\n"
        )
    elif kind in {7, 8}:
        entry_points = (
            f"[pytest11]\n{package} = {package}\n\n"
            f"[flake8.extension]\nB{number:04d} = {package}:Checker\n"
        )
    if entry_points:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    record = [f"{f},," for f in files]
    record += [
        f"{info.name}/{n},,"
        for n in ("METADATA", "WHEEL", "INSTALLER", "entry_points.txt", "RECORD")
        if n != "entry_points.txt" or entry_points
    ]
    (info / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")
    return plugin


def make_site(root: Path, size: int) -> tuple[Path, int]:
    """A folder of *size* synthetic distributions, and how many of them register a call."""
    site = root / f"site-{size}"
    site.mkdir()
    plugins = sum(write_distribution(site, number) for number in range(size))
    return site, plugins


def environment(site: Path | None, cache: Path) -> dict[str, str]:
    """The environment of a measured process: *site* on the path, no callkit settings.

    callkit keeps its cache of summaries in *cache*, so that the user's cache neither
    helps nor is written to.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLKIT_")}
    env.pop("PYTHONPATH", None)
    env["XDG_CACHE_HOME"] = str(cache)
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run a fresh Python process; its standard output."""
    done = subprocess.run(  # noqa: S603  (our own interpreter, with fixed arguments)
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        msg = f"{args} failed with status {done.returncode}:\n{done.stderr}"
        raise RuntimeError(msg)
    return done.stdout


def in_process(code: str, env: dict[str, str], cwd: Path, repeats: int) -> tuple[float, int]:
    """The median time the code reports for itself, in ms, and the count it found."""
    run(["-c", code], env, cwd)  # not counted: fills the file system's caches
    results = [json.loads(run(["-c", code], env, cwd)) for _ in range(repeats)]
    counts = {r["count"] for r in results}
    if len(counts) != 1:
        msg = f"the runs found different numbers of calls: {sorted(counts)}"
        raise RuntimeError(msg)
    return statistics.median(r["seconds"] for r in results) * 1000, counts.pop()


def wall(args: list[str], env: dict[str, str], cwd: Path, repeats: int) -> tuple[float, str]:
    """The median wall time of a whole process, in ms, and its last output."""
    output = run(args, env, cwd)  # not counted
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        output = run(args, env, cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, output


def walls(
    commands: dict[str, tuple[list[str], dict[str, str]]], cwd: Path, repeats: int
) -> dict[str, tuple[float, str]]:
    """The median wall time of each command's process, in ms, and its last output.

    The commands take turns, one run of each a round, so that what else the machine does
    meanwhile weighs on each alike and on none alone; the first round is not counted.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    outputs = {name: run(args, env, cwd) for name, (args, env) in commands.items()}
    for _ in range(repeats):
        for name, (args, env) in commands.items():
            start = time.perf_counter()
            outputs[name] = run(args, env, cwd)
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]) * 1000, outputs[name]) for name in commands}


def figure(name: str, value: float | str) -> None:
    """Print one figure."""
    shown = f"{value:.2f}" if isinstance(value, float) else value
    print(f"{name}: {shown}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Build the sites, time each, and print the figures and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated (10,100,1000)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each (7)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    figure("python", f"{platform.python_implementation()} {platform.python_version()}")
    figure("nproc", str(os.cpu_count()))
    figure("repeats", str(args.repeats))
    ratios: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="callkit-bench-") as name:
        root = Path(name)
        cwd = root / "cwd"  # not a site: the current directory is never scanned anyway
        cwd.mkdir()
        cache = root / "cache"
        plain = environment(None, cache)
        figure("python_startup_ms", wall(["-c", "pass"], plain, cwd, args.repeats)[0])
        figure("import_callkit_ms", wall(["-c", "import callkit"], plain, cwd, args.repeats)[0])
        installed = len(json.loads(run(["-m", "callkit", "calls", "--format", "json"], plain, cwd)))
        figure("calls_installed", str(installed))
        for size in sizes:
            site, plugins = make_site(root, size)
            time.sleep(SETTLE_S)
            env = environment(site, cache)
            expected = plugins + installed
            figure(f"plugins_{size}", str(plugins))
            bare, found = in_process(BARE_SCAN, env, cwd, args.repeats)
            if found != expected:
                msg = f"the bare scan found {found} calls, not {expected}"
                raise RuntimeError(msg)
            figure(f"bare_scan_ms_{size}", bare)
            discover, found = in_process(DISCOVER, env, cwd, args.repeats)
            if found != expected:
                msg = f"callkit discovered {found} calls, not {expected}"
                raise RuntimeError(msg)
            figure(f"discover_ms_{size}", discover)
            calls = ["-m", "callkit", "calls", "--format", "json"]
            timed = walls(
                {
                    "bare": (["-c", BARE_PROCESS], env),
                    "list": (["-c", LIST_PROCESS], env),
                    "calls": (calls, env),
                    "nocache": (calls, {**env, "CALLKIT_DISABLE_CACHE": "1"}),
                },
                cwd,
                args.repeats,
            )
            for way in ("calls", "nocache"):
                listed = len(json.loads(timed[way][1]))
                if listed != expected:
                    msg = f"callkit calls ({way}) listed {listed} calls, not {expected}"
                    raise RuntimeError(msg)
            process, listing = timed["bare"][0], timed["list"][0]
            cli, uncached = timed["calls"][0], timed["nocache"][0]
            figure(f"bare_process_ms_{size}", process)
            figure(f"list_process_ms_{size}", listing)
            figure(f"calls_cli_ms_{size}", cli)
            figure(f"calls_cli_nocache_ms_{size}", uncached)
            ratios += [
                (f"ids_ratio_{size}", discover / bare),
                (f"list_ratio_{size}", listing / process),
                (f"calls_ratio_{size}", cli / process),
                (f"calls_ratio_nocache_{size}", uncached / process),
            ]
            shutil.rmtree(site)
    for name, ratio in ratios:
        figure(name, ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
