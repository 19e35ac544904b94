"""Print how long the catalogue reader takes at scale, beside a bare read_csv.

For each N, a valid synthetic catalogue (``make_catalogue.py``) is written as CSV
and as GeoParquet; then, each in a fresh Python process, the time and peak
memory of ``read_catalogue`` (read + every check + joins) and the time of a
bare ``pandas.read_csv`` of the same three CSV files. No assertions: numbers to
compare (see docs/performance.md).

Run: .venv/bin/python benchmarks/bench_catalogue.py [N ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.make_catalogue import make_catalogue  # noqa: E402
from layers.catalogue import validate_tables, write_catalogue  # noqa: E402
from layers.catalogue.store.native import write_text_tables  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)

#: Run in a fresh interpreter: time one call, report wall and CPU seconds and
#: the process's peak resident memory.
_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
import pandas as pd
from layers.catalogue import read_catalogue
from layers.catalogue.check.geography import shipped_areas
def high_water_mb():  # VmHWM: peak resident memory of this process (Linux)
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
shipped_areas()  # the reference data, read once per process: not the catalogue's
before = high_water_mb()
wall, cpu = time.perf_counter(), time.process_time()
if {bare!r}:
    for name in ("events.csv", "claims.csv", "sources.csv"):
        pd.read_csv({path!r} + "/" + name)
    count = None
else:
    count = len(read_catalogue({path!r}).events)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps(dict(wall=wall, cpu=cpu, peak_mb=high_water_mb(),
                      base_mb=before, count=count)))
"""


def _measure(path: Path, *, bare: bool = False) -> dict[str, float]:
    code = _CHILD.format(root=str(ROOT), path=str(path), bare=bare)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 1e6


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep", type=Path, help="write the catalogues here (and reuse them)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        header = (
            "| events | CSV MB | load + validate s (CPU s) | peak MB | bare "
            "read_csv s (CPU s) | ratio | GeoParquet MB | GeoParquet load s "
            "(CPU s) | peak MB |"
        )
        print(header)
        print("|" + "---|" * 9)
        for n in args.sizes:
            csv_dir, parquet_dir = work / f"csv_{n}", work / f"parquet_{n}"
            started = time.perf_counter()
            if not (parquet_dir / "events.parquet").is_file():  # else kept from before
                tables = make_catalogue(n, seed=args.seed)
                write_text_tables(tables, csv_dir)
                names = {key: f"{key} (generated)" for key in tables}
                write_catalogue(
                    validate_tables(**tables, names=names), parquet_dir, fmt="parquet"
                )
                del tables
            made = time.perf_counter() - started
            full = _measure(csv_dir)
            bare = _measure(csv_dir, bare=True)
            columnar = _measure(parquet_dir)
            assert full["count"] == n and columnar["count"] == n
            print(
                f"| {n:,} | {_size_mb(csv_dir):.1f} | {full['wall']:.2f} "
                f"({full['cpu']:.2f}) | {full['peak_mb']:.0f} | {bare['wall']:.2f} "
                f"({bare['cpu']:.2f}) | {full['wall'] / bare['wall']:.1f}x | "
                f"{_size_mb(parquet_dir):.1f} | {columnar['wall']:.2f} "
                f"({columnar['cpu']:.2f}) | {columnar['peak_mb']:.0f} |",
                flush=True,
            )
            print(
                f"  (made in {made:.0f} s; interpreter + libraries + reference "
                f"data before loading: {full['base_mb']:.0f} MB)",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
