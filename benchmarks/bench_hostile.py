"""Print what each hostile file of the test corpus costs, and the page under load.

For each file of ``tests/hostile_files.py``: the outcome of ``read_upload``
(its message, shortened), the wall time, the peak resident memory of the
worker process that read it (vector files only; CSV and zip are read in this
process) and how much this process (the "server") grew. With ``--load``:
N sessions upload a different hostile file each, at once, while 5 others
rerun the page (Streamlit AppTest), and the browsing reruns are timed against
the same reruns on an idle server. No assertions: figures for
docs/performance.md.

Run: .venv/bin/python benchmarks/bench_hostile.py [--load N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layers.catalogue import read_upload  # noqa: E402
from layers.catalogue.errors import CatalogueError  # noqa: E402
from layers.catalogue.importers.features import vector_kind  # noqa: E402
from layers.catalogue.isolation import read_isolated  # noqa: E402
from tests import hostile_files as hostile  # noqa: E402

APP = ROOT / "dashboard.py"
_VECTOR = (".geojson", ".gpkg", ".kml", ".kmz")


def rss_mb() -> float:
    """The resident memory of this process now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _worker_peak(path: Path, data: bytes) -> str:
    if path.suffix not in _VECTOR:
        return "(in process)"
    try:
        return f"{read_isolated(vector_kind(data), data, name=path.name).peak_mb:.0f}"
    except CatalogueError as exc:
        peak = getattr(exc, "worker_peak_mb", None)
        return f"{peak:.0f}" if peak else "killed"


def corpus_table(folder: Path) -> None:
    """One row per hostile file: outcome, seconds, worker and server memory."""
    read_upload("events.kml", (hostile.IMPORTS / "events.kml").read_bytes())
    print("| file | outcome | read s | worker peak MB | server RSS growth MB |")
    print("|---|---|---|---|---|")
    for build in hostile.CORPUS:
        path = build(folder)
        data = path.read_bytes()
        gc.collect()
        before = rss_mb()
        started = time.perf_counter()
        try:
            outcome = f"read: {len(read_upload(path.name, data).events)} events"
        except CatalogueError as exc:
            outcome = str(exc).replace("|", "/").replace("\n", " ")[:150]
        seconds = time.perf_counter() - started
        gc.collect()
        grown = rss_mb() - before
        peak = _worker_peak(path, data)
        print(f"| {path.name} | {outcome} | {seconds:.1f} | {peak} | {grown:+.0f} |")


def _rerun_times(count: int, out: list[float], stop: threading.Event) -> None:
    """Rerun one session *count* times, or until *stop* when *count* is 0."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=300).run()
    done = 0
    while (done < count) if count else not stop.is_set():
        done += 1
        started = time.perf_counter()
        at.run()
        out.append(time.perf_counter() - started)


def _browse(
    sessions: int, reruns: int, until: list[threading.Thread] | None = None
) -> list[float]:
    times: list[float] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_rerun_times, args=(reruns, times, stop))
        for _ in range(sessions)
    ]
    for thread in threads:
        thread.start()
    for other in until or []:
        other.join()
    stop.set()
    for thread in threads:
        thread.join()
    return times


def load(folder: Path, uploads: int) -> None:
    """Browsing reruns idle, then with *uploads* hostile uploads at once."""
    idle = _browse(5, 3)
    files = [build(folder) for build in list(hostile.CORPUS)[:uploads]]
    outcomes: list[str] = []

    def upload(path: Path) -> None:
        try:
            read_upload(path.name, path.read_bytes())
            outcomes.append("read")
        except CatalogueError as exc:
            outcomes.append(type(exc).__name__)

    uploaders = [threading.Thread(target=upload, args=(p,)) for p in files]
    started = time.perf_counter()
    for thread in uploaders:
        thread.start()
    busy = _browse(5, 0, until=uploaders)  # browse until every upload is answered
    print(
        f"uploads: {len(files)} at once, all answered in "
        f"{time.perf_counter() - started:.1f} s; outcomes: "
        + ", ".join(f"{o} x{outcomes.count(o)}" for o in sorted(set(outcomes)))
    )
    for label, times in (("idle", idle), ("under load", busy)):
        print(
            f"browsing reruns {label}: median {statistics.median(times):.2f} s, "
            f"max {max(times):.2f} s ({len(times)} reruns)"
        )


def main() -> None:
    """Print the corpus table, and the load figures with ``--load``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.load:
            load(Path(folder), args.load)
        else:
            corpus_table(Path(folder))


if __name__ == "__main__":
    main()
