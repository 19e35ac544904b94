"""Print what placing imported events in the world costs, beside the regional check.

N synthetic positions at GeoNames towns (jittered by about 1 km) are placed two
ways, each timed in this process after the reference data is read:

- regional: the present check of the shipped reader, a position against its
  stated country (``Areas.distance_m``, one pass per distinct country), for
  towns in the 17 countries of the regional reference;
- world: the importers' new path for towns in 50 countries: country names
  resolved (``resolve_countries``), positions judged against the world
  outlines (``place_positions``: spatial join, distance to the stated country,
  swapped-pair test) and admin-1 matched by name or position
  (``match_admin1``).

No assertions: figures to record in docs/performance.md.

Run: .venv/bin/python benchmarks/bench_world.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layers.catalogue.check.geography import shipped_areas  # noqa: E402
from layers.catalogue.check.placement import place_positions  # noqa: E402
from layers.catalogue.countries import resolve_countries  # noqa: E402
from layers.catalogue.importers.world_admin1 import match_admin1  # noqa: E402
from layers.catalogue.world import locate, shipped_world  # noqa: E402

COUNTRIES = 50
JITTER_DEG = 0.01


def _sample(places: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    picked = places.iloc[rng.integers(0, len(places), n)].reset_index(drop=True)
    picked["lon"] = picked.geometry.x + rng.normal(0, JITTER_DEG, n)
    picked["lat"] = picked.geometry.y + rng.normal(0, JITTER_DEG, n)
    return picked


def _timed(func) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = func()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main(n: int) -> None:
    """Time both paths on *n* positions and print the ratio."""
    world = shipped_world()
    areas = shipped_areas()
    named = world.places.merge(
        world.countries[["iso_a3", "name"]].rename(columns={"name": "country"}),
        left_on=locate(world.places.geometry.x, world.places.geometry.y)["iso_a3"],
        right_on="iso_a3",
    )
    regional_codes = set(areas.countries)
    regional = _sample(named[named["iso_a3"].isin(regional_codes)], n, 1)
    top = named["iso_a3"].value_counts().index[:COUNTRIES]
    spread = _sample(named[named["iso_a3"].isin(top)], n, 2)

    def regional_check():
        off = np.zeros(n)
        for code, rows in regional.groupby("iso_a3").indices.items():
            off[rows] = areas.distance_m(
                areas.countries[code],
                regional["lon"].to_numpy()[rows],
                regional["lat"].to_numpy()[rows],
            )
        return off

    def world_check():
        codes = resolve_countries(spread["country"], path="bench", column="country")
        lon, lat = spread["lon"].to_numpy(), spread["lat"].to_numpy()
        placed = place_positions(lon, lat, codes, world=world)
        names = pd.Series("", index=spread.index)
        return placed, match_admin1(names, codes, lon, lat, here=placed)

    r_wall, r_cpu, _ = _timed(regional_check)
    w_wall, w_cpu, (placed, admin1) = _timed(world_check)
    print(f"{n:,} positions")
    print(
        f"regional check, {regional['iso_a3'].nunique()} countries: "
        f"{r_wall:.2f} s ({r_cpu:.2f} CPU s)"
    )
    print(
        f"world placement, {spread['iso_a3'].nunique()} countries: "
        f"{w_wall:.2f} s ({w_cpu:.2f} CPU s)"
    )
    print(
        f"ratio world/regional: {w_wall / r_wall:.2f}x wall, {w_cpu / r_cpu:.2f}x CPU"
    )
    print("verdicts:", placed["verdict"].value_counts().to_dict())
    print("admin-1 found:", (admin1["admin1"] != "").mean().round(4))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
