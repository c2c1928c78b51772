"""A list far larger than memory allows, checked row by row: what it costs, and its peak.

The script makes a CSV list of millions of applications (3,000,000 by default, some
280 MiB) on the fly, row by row, and hands it to ``callkit check --format jsonl`` through
a named pipe, so that the list never exists whole, not even on disk. The command runs in a
fresh process whose address space is capped (1 GiB by default): reviewing the list whole
would need several times that (the script says how much, from the whole review's memory per
application in a small run). It prints one line per figure, ``name: value``:

- ``rows``, ``csv_mib``: the rows written to the pipe and their size;
- ``stream_s``, ``stream_us``: the command's time, in all and per row;
- ``peak_rss_mib``: the command's peak resident size (``VmHWM``);
- ``limit_mib``: the cap on its address space;
- ``whole_review_mib_estimate``: what the whole review of as many rows would take;
- ``status``, ``applications``, ``lines``: the command's exit status, the applications its
  summary line counts, and the lines it printed, one per application and the summary.

It is not part of the test suite or CI: run it with ``nox -s bench -- hostile`` (or
``-- hostile --rows 5000000``), or with ``python benchmarks/bench_hostile.py`` where
callkit is installed. It writes only inside a temporary folder, which it removes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CALL_ID = "intpart-2022"

HEADER = (
    "title,institution,faculty,institution_type,institution_country,qualifying_scheme,"
    "partner_countries,partner_institutions,requested_per_year,duration_years,own_share,"
    "currency,research,education,costs,rank\n"
)

# Rows as faculty lists have them: most pass, some fail a rule or two, some give too
# little to assess a rule, one in a thousand has a cell that cannot be read.
TAILS = (
    "UiB,MN,,,SFF,Brazil;SE,USP; KTH,1 500 000,5,2 500 000,NOK,ja,ja,mobility;workshop",
    "Universitetet i Bergen,HF,,,KSP,Kina,Peking University,2000000,4,2000000,,yes,yes,course",
    "UiB,SV,,,ERC,JP;KR,Kyoto University,2 500 000,5,1000000,nok,ja,nei,position",
    "NTNU,,university,NO,RCN-RP,Sverige,Lund University,900000,3,800000,,ja,ja,travel",
    "University of Bergen,MED,,,SFF,US,,,,,,,,",
    "NORCE,,research_institute,NO,EU-FP,Sør-Afrika;India,UCT,1200000,2.5,900000,EUR,true,true,digital",
    "Univeristy of Bergen,MN,,,FKB,Canada,Toronto,1000000,5,1250000,,ja,ja,teaching",
    "Equinor,,company,NO,SFI,Tyskland,TU Berlin,2000000,5,3000000,,ja,ja,industry;catering",
)
BAD = "UiB,MN,,,SFF,Atlantis,,fem millioner,fem år,,,ja,ja,mobility"
BAD_EVERY = 1000
RANKS = 400
CHUNK = 2000
"""Rows written to the pipe at a time."""


def write_rows(path: Path, count: int, written: list[int]) -> None:
    """Write the header and *count* rows to the pipe *path*; *written* gets the bytes."""
    total = 0
    with path.open("wb") as pipe:
        pipe.write(HEADER.encode())
        chunk: list[str] = []
        for n in range(count):
            tail = BAD if n % BAD_EVERY == BAD_EVERY - 1 else TAILS[n % len(TAILS)]
            rank = n % RANKS + 1 if n % 5 else ""
            chunk.append(f"Project {n},{tail},{rank}\n")
            if len(chunk) == CHUNK:
                data = "".join(chunk).encode()
                pipe.write(data)
                total += len(data)
                chunk.clear()
        data = "".join(chunk).encode()
        pipe.write(data)
        total += len(data)
    written.append(total + len(HEADER))


CHILD = """\
import json, re, resource, sys, time
from pathlib import Path

limit = int(sys.argv[2]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

class Lines:
    # Standard output that counts lines and keeps the last: the summary.
    def __init__(self):
        self.count, self.last, self.pending = 0, "", ""
    def write(self, text):
        self.pending += text
        if "\\n" in self.pending:
            *done, self.pending = self.pending.split("\\n")
            self.count += len(done)
            self.last = done[-1]
        return len(text)
    def flush(self):
        pass

from callkit._cli import main
out = Lines()
sys.stdout = out
start = time.perf_counter()
status = main(["check", {call_id!r}, sys.argv[1], "--format", "jsonl"])
seconds = time.perf_counter() - start
sys.stdout = sys.__stdout__
peak = int(re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text()).group(1))
summary = json.loads(out.last)
print(json.dumps({{
    "status": status, "seconds": seconds, "peak": peak, "lines": out.count,
    "applications": summary["summary"]["applications"],
}}))
"""

WHOLE = """\
import gc, re, sys
from pathlib import Path
import callkit

def kib():
    return int(re.search(r"VmRSS:\\s*(\\d+)", Path("/proc/self/status").read_text()).group(1))

call = callkit.get_call({call_id!r})
call.check(callkit.Application(title="warm", institution="UiB"))
gc.collect()
before = kib()
result = callkit.read_application_file(sys.argv[1])
review = call.review(result.applications, result.problems)
print((kib() - before) / len(review.applications))
"""


def whole_per_app_kib(root: Path, count: int) -> float:
    """What the whole review keeps per application, in KiB, from a list of *count* rows."""
    small = root / "small.csv"
    written: list[int] = []
    write_rows(small, count, written)
    done = subprocess.run(  # noqa: S603  (our own interpreter)
        [sys.executable, "-c", WHOLE.format(call_id=CALL_ID), str(small)],
        capture_output=True,
        text=True,
        check=True,
    )
    small.unlink()
    return float(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Stream the generated list through ``callkit check --format jsonl``; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rows", type=int, default=3_000_000, help="rows (3000000)")
    parser.add_argument("--limit-mib", type=int, default=1024, help="address space (1024)")
    args = parser.parse_args(argv)
    print(f"python: {platform.python_implementation()} {platform.python_version()}")
    print(f"nproc: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="callkit-hostile-") as name:
        root = Path(name)
        per_app = whole_per_app_kib(root, 20_000)
        pipe = root / "huge.csv"
        os.mkfifo(pipe)
        written: list[int] = []
        writer = threading.Thread(target=write_rows, args=(pipe, args.rows, written))
        child = subprocess.Popen(  # noqa: S603  (our own interpreter)
            [sys.executable, "-c", CHILD.format(call_id=CALL_ID), str(pipe), str(args.limit_mib)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        start = time.perf_counter()
        writer.start()
        out, _ = child.communicate()
        writer.join()
        wall = time.perf_counter() - start
    if child.returncode != 0:
        print(f"error: the command failed with status {child.returncode}", file=sys.stderr)
        return 1
    result = json.loads(out)
    print(f"rows: {args.rows}")
    print(f"csv_mib: {written[0] / 2**20:.1f}")
    print(f"stream_s: {result['seconds']:.1f}")
    print(f"stream_us: {result['seconds'] / args.rows * 1e6:.2f}")
    print(f"wall_s: {wall:.1f}")
    print(f"limit_mib: {args.limit_mib}")
    print(f"peak_rss_mib: {result['peak'] / 1024:.1f}")
    print(f"whole_review_mib_estimate: {per_app * args.rows / 1024:.0f}")
    print(f"status: {result['status']}")
    print(f"applications: {result['applications']}")
    print(f"lines: {result['lines']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
