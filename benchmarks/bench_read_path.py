"""Print the read path's figures of issue #23 as ratios to bare floors.

For each N, a valid synthetic catalogue (``make_catalogue.py``) is written as
CSV (or reused with ``--keep``); then, each in a fresh Python process:

- ``read_catalogue`` (read, every check, joins) against a bare
  ``pandas.read_csv`` of the same three files: wall and CPU seconds and the
  process's peak memory (VmHWM, including about 175 MB of interpreter,
  libraries and reference data);
- with ``--export``: ``python -m layers export --layers events --format gpkg``
  (read, check, build the events layer, write it and the export's facts)
  against a floor of ``pandas.read_csv`` of ``events.csv`` plus
  ``pyogrio.write_dataframe`` of the same layer's geometries (made beforehand)
  with the file's columns.

No assertions: numbers to compare (see docs/performance.md).

Run: .venv/bin/python benchmarks/bench_read_path.py [N ...] [--keep DIR] [--export]
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
from layers.catalogue.store.native import write_text_tables  # noqa: E402

SIZES = (100_000, 1_000_000)

_HIGH_WATER = """
def high_water_mb():  # VmHWM: peak resident memory of this process (Linux)
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
"""

_LOAD = (
    """
import json, sys, time
sys.path.insert(0, {root!r})
import pandas as pd
from layers.catalogue import read_catalogue
from layers.catalogue.check.geography import shipped_areas
"""
    + _HIGH_WATER
    + """
shipped_areas()  # the reference data, read once per process: not the catalogue's
wall, cpu = time.perf_counter(), time.process_time()
if {bare!r}:
    for name in ("events.csv", "claims.csv", "sources.csv"):
        pd.read_csv({path!r} + "/" + name)
else:
    read_catalogue({path!r})
print(json.dumps(dict(wall=time.perf_counter() - wall,
                      cpu=time.process_time() - cpu, peak_mb=high_water_mb())))
"""
)

_FLOOR = """
import json, sys, time
import geopandas as gpd, pandas as pd, pyogrio
shapes = pyogrio.read_dataframe({layer!r}, columns=[]).geometry.values
wall, cpu = time.perf_counter(), time.process_time()
frame = pd.read_csv({path!r} + "/events.csv")
layer = gpd.GeoDataFrame(frame, geometry=shapes, crs="EPSG:4326")
pyogrio.write_dataframe(layer, {out!r}, layer="events", driver="GPKG")
print(json.dumps(dict(wall=time.perf_counter() - wall,
                      cpu=time.process_time() - cpu)))
"""


def _child(code: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load(path: Path, *, bare: bool) -> dict[str, float]:
    return _child(_LOAD.format(root=str(ROOT), path=str(path), bare=bare))


def _export(path: Path, out: Path) -> dict[str, float]:
    """The export command in its own process (imports included, as a user runs it)."""
    wall = time.perf_counter()
    before = os.times()
    subprocess.run(
        [sys.executable, "-m", "layers", "export", "--layers", "events"]
        + ["--format", "gpkg", "--catalogue", str(path), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"wall": time.perf_counter() - wall, "cpu": cpu}


def _floor(path: Path, layer: Path, out: Path) -> dict[str, float]:
    return _child(_FLOOR.format(path=str(path), layer=str(layer), out=str(out)))


def _row(n: int, full: dict[str, float], bare: dict[str, float]) -> str:
    return (
        f"| {n:,} | {full['wall']:.2f} ({full['cpu']:.2f}) | {full['peak_mb']:,.0f} "
        f"| {bare['wall']:.2f} ({bare['cpu']:.2f}) | {bare['peak_mb']:,.0f} "
        f"| {full['wall'] / bare['wall']:.1f}x | {full['cpu'] / bare['cpu']:.1f}x |"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark tables; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the catalogues here (reuse)")
    parser.add_argument("--export", action="store_true", help="time the export too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        print(
            "| events | load + validate s (CPU s) | peak MB | bare read_csv s (CPU s) "
            "| peak MB | ratio (wall) | ratio (CPU) |"
        )
        print("|" + "---|" * 7)
        exports = []
        for n in args.sizes:
            folder = work / f"csv_{n}"
            if not (folder / "events.csv").is_file():
                write_text_tables(make_catalogue(n, seed=args.seed), folder)
            print(_row(n, _load(folder, bare=False), _load(folder, bare=True)))
            if args.export:
                out = Path(scratch) / f"export_{n}"
                exported = _export(folder, out)
                floor = _floor(folder, out / "layers.gpkg", Path(scratch) / f"{n}.gpkg")
                exports.append((n, exported, floor))
        if exports:
            print(
                "\n| events | export events (GPKG) s (CPU s) | floor s (CPU s) "
                "| ratio |"
            )
            print("|" + "---|" * 4)
            for n, exported, floor in exports:
                print(
                    f"| {n:,} | {exported['wall']:.2f} ({exported['cpu']:.2f}) | "
                    f"{floor['wall']:.2f} ({floor['cpu']:.2f}) | "
                    f"{exported['wall'] / floor['wall']:.1f}x |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
