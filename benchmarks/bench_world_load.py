"""Print the whole load of a world ACLED file beside a regional one of the same size.

Two synthetic ACLED-format CSV exports of N strike events are written in the
same run, at GeoNames towns of the world places file (ACLED puts its point on a
town, so positions repeat as in a real export):

- regional: events in the 17 countries of the regional reference (the present
  path of the shipped reader's region);
- world: events spread over the 50 countries with the most towns.

Both have ACLED's columns as an export carries them: ``event_date`` as
``2 December 2019``, ``country`` with its ISO numeric ``iso``, ``admin1``
with the real admin-1 name of the town's unit, ``geo_precision`` 1/2/3 and
``time_precision`` 1/2/3 mixed, ``location``, ``latitude``/``longitude`` to 4
decimals, a distinct ``notes`` text per event, ``source`` and ``fatalities``.

Timed: the whole ``read_catalogue`` of each file (the entry point of
``python -m layers export --catalogue FILE``), in this process, best of 3
after one warm-up; then the page's first run (``AppTest``, as
``bench_dashboard.py`` does) with each file as the loaded catalogue, each in a
fresh process so that no cache is shared. No assertions: figures to record in
docs/performance.md.

Run: .venv/bin/python benchmarks/bench_world_load.py [--events N] [--out DIR]
     [--repeat 3] [--page-runs 1] [--no-page]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layers.catalogue import read_catalogue  # noqa: E402
from layers.catalogue.check.geography import shipped_areas  # noqa: E402
from layers.catalogue.errors import CatalogueErrors  # noqa: E402
from layers.catalogue.world import locate, shipped_world  # noqa: E402

COUNTRIES = 50
#: ACLED's strike sub-event types and their share.
SUB_EVENTS = {
    "Air/drone strike": 0.6,
    "Shelling/artillery/missile attack": 0.3,
    "Remote explosive/landmine/IED": 0.1,
}
GEO_SHARE = (0.6, 0.3, 0.1)
TIME_SHARE = (0.85, 0.1, 0.05)
ACTORS = (
    "Military Forces of Saudi Arabia",
    "Military Forces of the United States (2017-2021)",
    "Military Forces of Russia (2000-)",
    "Unidentified Armed Group",
    "Islamic State",
)
OUTLETS = ("Reuters", "AFP", "AP", "Local media", "BBC Monitoring", "Al Jazeera")
COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]


def towns() -> pd.DataFrame:
    """Every GeoNames town with its country and admin-1 unit.

    The country is its ``iso_a3``, ``name`` and ISO numeric ``iso_n3``; the
    unit is the one the town's point lies in.
    """
    world = shipped_world()
    places = world.places
    lon, lat = places.geometry.x.to_numpy(), places.geometry.y.to_numpy()
    where = locate(lon, lat, world=world)
    countries = world.countries[["iso_a3", "iso_n3", "name"]].drop_duplicates("iso_a3")
    frame = pd.DataFrame(
        {
            "town": places["name"].to_numpy(),
            "lon": lon.round(4),
            "lat": lat.round(4),
            "iso_a3": where["iso_a3"].to_numpy(),
            "admin1": where["admin1"].to_numpy(),
        }
    )
    frame = frame.merge(countries, on="iso_a3")
    number = pd.to_numeric(frame["iso_n3"], errors="coerce")
    return frame[(frame["admin1"] != "") & number.notna()].assign(
        iso_n3=number.astype("Int64").astype(str)
    )


def acled_frame(picked: pd.DataFrame, *, seed: int, prefix: str) -> pd.DataFrame:
    """N ACLED export rows at the towns of *picked* (one row per event)."""
    rng = np.random.default_rng(seed)
    n = len(picked)
    day = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 730, n), "D")
    date = pd.Series(day.day.astype(str) + " " + day.strftime("%B %Y"))
    subs = rng.choice(list(SUB_EVENTS), n, p=list(SUB_EVENTS.values()))
    geo = rng.choice([1, 2, 3], n, p=GEO_SHARE)
    outlets = np.array(OUTLETS)
    source = pd.Series(outlets[rng.integers(0, len(outlets), n)])
    second = rng.random(n) < 0.4
    source[second] += "; " + outlets[rng.integers(0, len(outlets), n)][second]
    ids = pd.Series(np.arange(n) + 1).map(f"{prefix}{{:06d}}".format)
    town = picked["town"].reset_index(drop=True)
    notes = (
        "On "
        + date
        + ", "
        + pd.Series(subs).str.lower()
        + " reported near "
        + town
        + " (event "
        + ids
        + ")."
    )
    return pd.DataFrame(
        {
            "event_id_cnty": ids,
            "event_date": date,
            "year": day.year.astype(str),
            "time_precision": rng.choice([1, 2, 3], n, p=TIME_SHARE),
            "disorder_type": "Political violence",
            "event_type": "Explosions/Remote violence",
            "sub_event_type": subs,
            "actor1": np.array(ACTORS)[rng.integers(0, len(ACTORS), n)],
            "assoc_actor_1": "",
            "inter1": 8,
            "actor2": "Civilians",
            "assoc_actor_2": "",
            "inter2": 7,
            "interaction": 78,
            "civilian_targeting": "",
            "iso": picked["iso_n3"].to_numpy(),
            "region": "",
            "country": picked["name"].to_numpy(),
            "admin1": picked["admin1"].to_numpy(),
            "admin2": "",
            "admin3": "",
            "location": town,
            "latitude": picked["lat"].map("{:.4f}".format).to_numpy(),
            "longitude": picked["lon"].map("{:.4f}".format).to_numpy(),
            "geo_precision": geo,
            "source": source,
            "source_scale": "National",
            "notes": notes,
            "fatalities": rng.poisson(1.5, n),
            "tags": "",
            "timestamp": (day.astype("int64") // 10**9).astype(str),
        },
        columns=COLUMNS,
    )


def _write_loadable(frame: pd.DataFrame, path: Path) -> None:
    """Write *frame* as a CSV file the reader accepts.

    Rows refused as a province wider than P4 allows (a real limit, see
    docs/performance.md) become geo_precision 2.
    """
    for _ in range(20):
        frame.to_csv(path, index=False)
        try:
            read_catalogue(path)
            return
        except CatalogueErrors as exc:
            wide = [
                int(e.row or 0) - 2
                for e in exc.errors
                if "too wide for P4" in e.problem
            ]
            if len(wide) < len(exc.errors):
                raise
            frame.loc[wide, "geo_precision"] = 2
            print(f"  {len(wide)} province rows too wide for P4 set to geo_precision 2")


def write_files(n: int, out: Path) -> dict[str, Path]:
    """Write the regional and world ACLED files of *n* events into *out*."""
    every = towns()
    regional = every[every["iso_a3"].isin(set(shipped_areas().countries))]
    top = every["iso_a3"].value_counts().index[:COUNTRIES]
    spread = every[every["iso_a3"].isin(top)]
    paths = {}
    for label, pool, seed, prefix in (
        ("regional", regional, 1, "REGX"),
        ("world", spread, 2, "WRLX"),
    ):
        rng = np.random.default_rng(seed)
        picked = pool.iloc[rng.integers(0, len(pool), n)].reset_index(drop=True)
        path = out / f"acled_{label}_{n}.csv"
        _write_loadable(acled_frame(picked, seed=seed, prefix=prefix), path)
        countries = picked["iso_a3"].nunique()
        size = path.stat().st_size / 1e6
        print(f"{label}: {path} ({countries} countries, {size:.1f} MB)")
        paths[label] = path
    return paths


def _timed_load(path: Path, repeat: int) -> tuple[float, float, int]:
    """Best wall and CPU seconds of *repeat* loads after one warm-up."""
    read_catalogue(path)
    walls, cpus, events = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        catalogue = read_catalogue(path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        events = len(catalogue.events)
    return min(walls), min(cpus), events


def page_first_run(path: Path) -> float:
    """Seconds of the page's first AppTest run with *path* loaded (this process)."""
    from streamlit.testing.v1 import AppTest

    os.environ["STRIKEMAP_CATALOGUE"] = str(path.resolve())
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        print(f"page raised: {at.exception[0].message}", file=sys.stderr)
    return seconds


def _page_in_child(path: Path) -> float:
    command = [sys.executable, __file__, "--page-only", str(path)]
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    """Write both files, time their loads and page first runs, print ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page-runs", type=int, default=1)
    parser.add_argument("--no-page", action="store_true")
    parser.add_argument("--page-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.page_only:
        print(f"{page_first_run(args.page_only):.3f}")
        return
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-world-load-"))
    out.mkdir(parents=True, exist_ok=True)
    paths = write_files(args.events, out)
    loads = {label: _timed_load(path, args.repeat) for label, path in paths.items()}
    for label, (wall, cpu, events) in loads.items():
        print(f"load {label}: {events:,} events, {wall:.2f} s ({cpu:.2f} CPU s)")
    ratio_wall = loads["world"][0] / loads["regional"][0]
    ratio_cpu = loads["world"][1] / loads["regional"][1]
    print(
        f"load ratio world/regional: {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x CPU "
        "(goal <= 1.3x)"
    )
    if args.no_page:
        return
    pages = {label: [] for label in paths}
    for _ in range(args.page_runs):
        for label, path in paths.items():
            pages[label].append(_page_in_child(path))
    for label, runs in pages.items():
        print(f"page first run {label}: {min(runs):.2f} s (runs: {runs})")
    ratio = min(pages["world"]) / min(pages["regional"])
    print(f"page ratio world/regional: {ratio:.2f}x (goal <= 1.2x)")


if __name__ == "__main__":
    main()
