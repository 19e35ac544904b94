"""The shared catalogue on PostgreSQL: read time against GeoParquet, saves per second.

Makes a synthetic catalogue of N events (``benchmarks/make_catalogue.py``),
writes it as GeoParquet and loads it into a fresh database on the server
named by ``--server`` (default: the test cluster, 127.0.0.1:54329, ci/ci).
Then times, best of ``--repeat`` in this process:

- ``read_database`` through the page's read-only role (read every live row,
  every check, joins: what the page does on a new audit id) against
  ``read_catalogue`` of the GeoParquet folder (goal: at most 1.5x);
- saves with ``--editors`` concurrent editors (threads, each with its own
  connection from the writer's pool), each changing its own event
  ``--saves`` times in a row with the version it last saw (goal: at least
  50 saves/s, none lost: every event ends at version 1 + saves, and the audit
  table holds one row per save).

Run: .venv/bin/python benchmarks/bench_database.py [--events N] [--editors E]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.make_catalogue import make_catalogue  # noqa: E402
from layers.catalogue import read_catalogue, validate_tables, write_catalogue  # noqa: E402
from layers.catalogue.store.database import (  # noqa: E402
    READER_ROLE,
    WRITER_ROLE,
    connect,
    init_database,
    load_catalogue,
    read_database,
)
from layers.catalogue.store.edits import EditBy, update_event  # noqa: E402

DBNAME = "strikemap_bench"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _best(work, repeat: int) -> tuple[float, float]:
    """(wall s, CPU s) of the fastest of *repeat* runs of *work*."""
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        work()
        runs.append((time.perf_counter() - wall, _cpu() - cpu))
    return min(runs)


def _fresh_database(server: str) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DBNAME}")
        conn.execute(f"CREATE DATABASE {DBNAME}")
    return f"{server}/{DBNAME}"


def _saves(
    url: str, event_ids: list[str], saves: int, source: str
) -> tuple[float, int, list[str]]:
    """Run the editors; return (wall s, saves made, errors)."""
    engine = connect(url, role=WRITER_ROLE, pool_size=len(event_ids))
    with engine.connect() as conn:
        versions = dict(
            conn.execute(
                sa.text(
                    "SELECT event_id, row_version FROM events WHERE event_id = ANY(:i)"
                ),
                {"i": event_ids},
            ).all()
        )
    done, errors, lock = [0], [], threading.Lock()

    def editor(number: int, event_id: str) -> None:
        seen = versions[event_id]
        by = EditBy(f"editor{number}@example.org", "benchmark", (source,))
        for i in range(saves):
            try:
                seen = update_event(
                    engine, event_id, {"notes": f"save {i}"}, seen_version=seen, by=by
                )
            except Exception as exc:  # noqa: BLE001 (counted and shown)
                with lock:
                    errors.append(f"{event_id}: {exc}")
                return
            with lock:
                done[0] += 1

    threads = [
        threading.Thread(target=editor, args=(n, e)) for n, e in enumerate(event_ids)
    ]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    engine.dispose()
    return wall, done[0], errors


def _lost(url: str, event_ids: list[str], saves: int) -> list[str]:
    engine = connect(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT e.event_id, e.row_version, (SELECT count(*) FROM audit a"
                " WHERE a.table_name = 'events' AND a.row_key = e.event_id"
                " AND a.reason = 'benchmark') FROM events e"
                " WHERE e.event_id = ANY(:i)"
            ),
            {"i": event_ids},
        ).all()
    engine.dispose()
    return [
        f"{event_id}: version {version}, {audited} audit rows"
        for event_id, version, audited in rows
        if version != 1 + saves or audited != saves
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--editors", type=int, default=10)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--server", default="postgresql://ci:ci@127.0.0.1:54329", help="no database"
    )
    args = parser.parse_args(argv)
    tables = make_catalogue(args.events, seed=0)
    names = {key: f"{key} (generated)" for key in tables}
    catalogue = validate_tables(**tables, names=names)
    url = _fresh_database(args.server)
    engine = connect(url)
    init_database(engine)
    wall = time.perf_counter()
    load_catalogue(engine, catalogue, editor="bench", reason="benchmark load")
    print(f"loaded {args.events:,} events in {time.perf_counter() - wall:.1f} s")
    engine.dispose()
    reader = connect(url, role=READER_ROLE)
    with tempfile.TemporaryDirectory() as work:
        write_catalogue(catalogue, Path(work), fmt="parquet")
        parquet = _best(lambda: read_catalogue(work), args.repeat)
    database = _best(lambda: read_database(reader), args.repeat)
    reader.dispose()
    print(f"GeoParquet read_catalogue: {parquet[0]:.2f} s ({parquet[1]:.2f} CPU s)")
    print(f"database read_database:    {database[0]:.2f} s ({database[1]:.2f} CPU s)")
    print(f"ratio (wall): {database[0] / parquet[0]:.2f}x (goal <= 1.5x)")
    event_ids = list(catalogue.events["event_id"].iloc[: args.editors])
    source = str(catalogue.sources["source_id"].iloc[0])
    wall, done, errors = _saves(url, event_ids, args.saves, source)
    lost = _lost(url, event_ids, args.saves)
    print(
        f"{args.editors} editors x {args.saves} saves: {done} saved in {wall:.2f} s"
        f" = {done / wall:.0f} saves/s (goal >= 50); errors {len(errors)},"
        f" lost {len(lost)}"
    )
    for line in [*errors, *lost][:10]:
        print("  ", line)
    return 0 if not errors and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
