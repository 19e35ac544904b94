"""Make a valid synthetic catalogue of N events, for benchmarks and tests.

Events fall across Iraq and Syria (in a governorate) and the Gulf, with a few at
sea; they use every ACLED event type, every precision class with its codes and a
radius it allows, candidates, constraints, groups, casualty claims and sources.
The same N and seed always give the same files.

Run: .venv/bin/python benchmarks/make_catalogue.py N OUT [--seed S] [--format F]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layers.catalogue import validate_tables, write_catalogue  # noqa: E402
from layers.catalogue.check.geography import Areas, shipped_areas  # noqa: E402
from layers.catalogue.model import (  # noqa: E402
    ACLED_TYPES,
    CONFIDENCE_GRADES,
    PRECISION_CLASSES,
    UCDP_OVER_WATER,
)
from layers.catalogue.store.native import write_text_tables  # noqa: E402

_GEOD = Geod(ellps="WGS84")
#: Share of events by where they are.
_WHERE = {"IRQ": 0.45, "SYR": 0.37, "GULF": 0.15, "WATER": 0.03}
_GULF = ("SAU", "KWT", "QAT", "BHR", "ARE", "OMN", "IRN")
#: Open water in the Gulf of Oman and the Persian Gulf (west, south, east, north).
_SEA_BOXES = ((56.6, 24.6, 58.4, 25.4), (50.0, 27.2, 51.8, 28.4))
#: Share of events by precision class, and the radius range drawn for each.
CLASSES = {
    "P1": (0.08, 10.0, 100.0),
    "P2": (0.37, 500.0, 10_000.0),
    "P3": (0.30, 5_000.0, 50_000.0),
    "P4": (0.10, 50_000.0, 300_000.0),
    "P5": (0.10, 20_000.0, 300_000.0),
    "P6": (0.05, 100_000.0, 1_000_000.0),
}
_OUTLETS = ("Reuters", "AP", "AFP", "Rudaw", "Al-Monitor", "The National", "ACLED")
_CLAIMANTS = (
    "Local officials",
    "Health ministry",
    "A monitoring group",
    "A militia spokesman",
    "Coalition statement",
)


def _points_in(
    rng: np.random.Generator, shape: shapely.Geometry, count: int
) -> np.ndarray:
    """*count* points drawn uniformly (in degrees) inside *shape*, as (lon, lat)."""
    west, south, east, north = shape.bounds
    shapely.prepare(shape)
    found = np.empty((0, 2))
    while len(found) < count:
        batch = max(64, 2 * (count - len(found)))
        lon = rng.uniform(west, east, batch)
        lat = rng.uniform(south, north, batch)
        inside = shapely.contains_xy(shape, lon, lat)
        found = np.vstack([found, np.column_stack([lon[inside], lat[inside]])])
    return found[:count]


def _points_at_sea(rng: np.random.Generator, areas: Areas, count: int) -> np.ndarray:
    land = shapely.union_all(list(areas.countries.values()))
    shapely.prepare(land)
    found = np.empty((0, 2))
    while len(found) < count:
        box = _SEA_BOXES[int(rng.integers(len(_SEA_BOXES)))]
        lon = rng.uniform(box[0], box[2], 256)
        lat = rng.uniform(box[1], box[3], 256)
        # Keep well clear of land (0.3 degrees) so a small radius is honest.
        clear = ~shapely.dwithin(land, shapely.points(lon, lat), 0.3)
        found = np.vstack([found, np.column_stack([lon[clear], lat[clear]])])
    return found[:count]


def _places(
    rng: np.random.Generator, areas: Areas, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Country, governorate, lon and lat of *n* events."""
    where = rng.choice(list(_WHERE), size=n, p=list(_WHERE.values()))
    country = np.empty(n, dtype=object)
    admin1 = np.full(n, "", dtype=object)
    lonlat = np.zeros((n, 2))
    for code in ("IRQ", "SYR"):
        rows = np.flatnonzero(where == code)
        names = [name for name in areas.admin1_names(code) if name != "UNDOF"]
        picked = rng.choice(names, size=rows.size)
        country[rows] = code
        admin1[rows] = picked
        for name in names:
            hits = rows[picked == name]
            if hits.size:
                # Inside both outlines: Natural Earth's admin-1 strays up to
                # ~1 km beyond its 10m country borders.
                shape = shapely.intersection(
                    areas.admin1[(code, name)], areas.countries[code]
                )
                lonlat[hits] = _points_in(rng, shape, hits.size)
    rows = np.flatnonzero(where == "GULF")
    picked = rng.choice(_GULF, size=rows.size)
    country[rows] = picked
    for code in _GULF:
        hits = rows[picked == code]
        if hits.size:
            lonlat[hits] = _points_in(rng, areas.countries[code], hits.size)
    rows = np.flatnonzero(where == "WATER")
    country[rows] = ""
    lonlat[rows] = _points_at_sea(rng, areas, rows.size)
    return country, admin1, lonlat[:, 0], lonlat[:, 1]


def _fmt(values: np.ndarray, decimals: int) -> pd.Series:
    rounded = pd.Series(np.round(values, decimals), dtype=float)
    return rounded.map(lambda v: f"{v:.{decimals}f}").astype("str")


def _ids(prefix: str, numbers: np.ndarray) -> pd.Series:
    return prefix + pd.Series(numbers).astype("str")


def _join_ids(rng: np.random.Generator, n: int, pool: int, most: int) -> pd.Series:
    """For each of *n* rows, 1 to *most* distinct ids from ``src-0 .. src-(pool-1)``."""
    count = rng.integers(1, most + 1, size=n)
    first = rng.integers(0, pool, size=n)
    parts = [_ids("src-", first)]
    for k in range(1, most):
        nxt = _ids("src-", (first + k * 7919) % pool)
        parts.append(np.where(count > k, "; " + nxt, ""))
    out = parts[0]
    for part in parts[1:]:
        out = out + part
    return out


def make_catalogue(n: int, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """A valid synthetic catalogue of *n* events, as the three text tables.

    Parameters
    ----------
    n
        How many events (at least 1).
    seed
        The random seed: the same *n* and seed give the same tables.

    Returns
    -------
    ``{"events": ..., "claims": ..., "sources": ...}``, all-string frames.
    """
    rng = np.random.default_rng(seed)
    areas = shipped_areas()
    numbers = np.arange(n)
    event_id = _ids("E-", numbers)
    country, admin1, lon, lat = _places(rng, areas, n)
    at_sea = country == ""

    klass = rng.choice(list(CLASSES), size=n, p=[v[0] for v in CLASSES.values()])
    klass[at_sea] = rng.choice(["P2", "P3"], size=int(at_sea.sum()))
    radius = np.zeros(n)
    geo_precision = np.full(n, "", dtype=object)
    where_prec = np.full(n, "", dtype=object)
    for name, (_, low, high) in CLASSES.items():
        rows = klass == name
        spec = PRECISION_CLASSES[name]
        radius[rows] = np.round(rng.uniform(low, high, rows.sum()))
        if spec.acled:
            geo_precision[rows] = str(spec.acled[0])
        if spec.ucdp:
            where_prec[rows] = rng.choice([str(c) for c in spec.ucdp], rows.sum())
    where_prec[at_sea] = str(UCDP_OVER_WATER)

    pairs = [(t, s) for t, subs in ACLED_TYPES.items() for s in subs]
    pair = rng.integers(0, len(pairs), size=n)
    event_type = np.array([p[0] for p in pairs], dtype=object)[pair]
    sub_event_type = np.array([p[1] for p in pairs], dtype=object)[pair]

    start = np.datetime64("2012-01-01") + rng.integers(0, 365 * 13, size=n)
    time_precision = rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05])
    span = np.where(time_precision == 2, rng.integers(1, 7, size=n), 0)
    end = start + span
    month = start.astype("datetime64[M]")
    start = np.where(time_precision == 3, month.astype("datetime64[D]"), start)
    end = np.where(time_precision == 3, ((month + 1).astype("datetime64[D]") - 1), end)

    in_group = rng.random(n) < 0.2
    group_id = np.where(in_group, "G-" + pd.Series(numbers // 3).astype("str"), "")

    # Candidates: up to three positions within half the radius of the point.
    candidates = pd.Series([""] * n, dtype="str")
    has = np.flatnonzero(rng.random(n) < 0.3)
    for k in range(3):
        take = has[rng.random(has.size) < (1.0, 0.6, 0.3)[k]]
        c_lon, c_lat, _ = _GEOD.fwd(
            lon[take],
            lat[take],
            rng.uniform(0, 360, take.size),
            rng.uniform(0, 0.5, take.size) * radius[take],
        )
        inside = areas.inside_region(c_lon, c_lat)
        take, c_lon, c_lat = take[inside], c_lon[inside], c_lat[inside]
        text = (
            f"Source {k + 1} @ " + _fmt(c_lat, 6) + ", " + _fmt(c_lon, 6)
        ).to_numpy()
        joined = np.where(candidates.to_numpy()[take] == "", text, "")
        sep = np.where(candidates.to_numpy()[take] == "", "", " | " + text)
        candidates.iloc[take] = candidates.iloc[take].to_numpy() + joined + sep

    constraints = np.where(
        (rng.random(n) < 0.5) & ~at_sea, "country:" + country.astype(str), ""
    )
    with_admin1 = (admin1 != "") & (rng.random(n) < 0.3)
    constraints = np.where(
        with_admin1,
        np.where(constraints == "", "", constraints + "; ")
        + "admin1:"
        + admin1.astype(str),
        constraints,
    )

    n_sources = max(5, n // 4)
    events = pd.DataFrame(
        {
            "event_id": event_id,
            "group_id": group_id,
            "title": "Synthetic event " + event_id + ", " + event_type,
            "date_start": pd.Series(start.astype(str)),
            "date_end": pd.Series(end.astype(str)),
            "time_precision": pd.Series(time_precision).astype("str"),
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "attacker": rng.choice(["Unidentified", "Armed group A", "State B"], n),
            "target": rng.choice(["Base", "Convoy", "Depot", "Checkpoint"], n),
            "target_kind": rng.choice(["military base", "vehicle convoy", ""], n),
            "country": country.astype(str),
            "admin1": admin1.astype(str),
            "location": rng.choice(["near a town", 'the "old" road', "a village"], n),
            "lat": _fmt(lat, 6),
            "lon": _fmt(lon, 6),
            "candidates": candidates,
            "precision_class": klass,
            "geo_precision": geo_precision.astype(str),
            "where_prec": where_prec.astype(str),
            "uncertainty_m": pd.Series(radius.astype(np.int64)).astype("str"),
            "constraints": constraints,
            "confidence": rng.choice(CONFIDENCE_GRADES, n),
            "description": "Reported by local sources, with details; see notes.",
            "notes": rng.choice(
                ["", "Position is the town centre.", "Two reports."], n
            ),
            "source_ids": _join_ids(rng, n, n_sources, 3),
        }
    )

    groups = np.unique(group_id[group_id != ""])
    n_claims = max(1, int(0.3 * n))
    to_group = (rng.random(n_claims) < 0.2) & (groups.size > 0)
    applies_to = np.where(
        to_group,
        groups[rng.integers(0, max(groups.size, 1), n_claims)] if groups.size else "",
        event_id.to_numpy()[rng.integers(0, n, n_claims)],
    )
    killed_low = rng.integers(0, 50, n_claims)
    killed_high = killed_low + rng.integers(0, 10, n_claims)
    wounded_low = rng.integers(0, 80, n_claims)
    no_wounded = rng.random(n_claims) < 0.3
    claims = pd.DataFrame(
        {
            "applies_to": applies_to,
            "claimant": rng.choice(_CLAIMANTS, n_claims),
            "killed_low": pd.Series(killed_low).astype("str"),
            "killed_high": pd.Series(killed_high).astype("str"),
            "wounded_low": np.where(
                no_wounded, "", pd.Series(wounded_low).astype("str")
            ),
            "wounded_high": "",
            "detail": "Figures as reported.",
            "source_ids": _join_ids(rng, n_claims, n_sources, 2),
        }
    )

    source_numbers = np.arange(n_sources)
    published = np.datetime64("2012-01-01") + rng.integers(0, 365 * 13, n_sources)
    sources = pd.DataFrame(
        {
            "source_id": _ids("src-", source_numbers),
            "title": "Report " + pd.Series(source_numbers).astype("str"),
            "outlet": rng.choice(_OUTLETS, n_sources),
            "published": pd.Series(published.astype(str)),
            "url": "https://example.org/reports/"
            + pd.Series(source_numbers).astype("str"),
        }
    )
    return {
        "events": events.astype("str"),
        "claims": claims.astype("str"),
        "sources": sources.astype("str"),
    }


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic catalogue folder; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of events")
    parser.add_argument("out", type=Path, help="catalogue folder to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    args = parser.parse_args(argv)
    tables = make_catalogue(args.n, seed=args.seed)
    if args.format == "csv":
        written = write_text_tables(tables, args.out)
    else:
        names = {key: f"{key} (generated)" for key in tables}
        catalogue = validate_tables(**tables, names=names)
        written = write_catalogue(catalogue, args.out, fmt="parquet")
    for path in written:
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
