"""Where an event's position may lie: its stated country and governorate, anywhere.

Two rules, chosen per row:

- **regional**: a native catalogue's event in a country of the fitted regional
  reference (``reference.py``), inside its box, is held to today's strictness:
  within its uncertainty radius of the stated country and governorate, plus
  the outline's accuracy (and the territorial sea over water).
- **world**: every other position (any country on Earth, and every imported
  row) is judged against the world outlines (``world.py``) by
  ``placement.place_positions``. An import may lie up to
  ``IMPORT_TOLERANCE_M`` outside its stated country (near a border, or at sea
  off a generalised coast): it is accepted and the event's notes say so. 0, 0,
  the open sea for an event on land, a swapped pair that would lie in the
  stated country, and a gross mismatch are refused with the row, column and
  value.

All vectorised: loops run over reference areas or distinct countries, never
over rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from layers.catalogue.check import cells
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.check.geography import Areas
from layers.catalogue.check.placement import ACCEPTED, distance_to_m, place_positions
from layers.catalogue.model import (
    IMPORT_TOLERANCE_M,
    OUTLINE_ACCURACY_M,
    TERRITORIAL_SEA_M,
    UCDP_OVER_WATER,
)
from layers.catalogue.world import World, shipped_world

_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Positions:
    """The typed positions of the events table (NaN where a cell is bad)."""

    lat: np.ndarray
    lon: np.ndarray
    radius: np.ndarray
    where_prec: np.ndarray


def positions_by(cells_: pd.Series) -> dict[str, np.ndarray]:
    """The positions of the rows holding each distinct value."""
    codes, uniques = pd.factorize(cells_)
    order = np.argsort(codes, kind="stable")
    ends = np.cumsum(np.bincount(codes, minlength=len(uniques)))
    return {
        str(value): order[end - size : end]
        for value, end, size in zip(
            uniques, ends, np.bincount(codes, minlength=len(uniques)), strict=True
        )
    }


def pick(cells_: pd.Series, where: np.ndarray) -> np.ndarray:
    """The cells at *where* (a mask or positions) as an object array.

    Only the picked cells become Python objects, not the whole column.
    """
    where = np.asarray(where)
    positions = np.flatnonzero(where) if where.dtype == bool else where
    return cells_.take(positions).to_numpy(dtype=object)


def length(metres: float) -> str:
    """A distance for a message: metres under a kilometre, else kilometres."""
    return f"{metres:,.0f} m" if metres < 1000 else f"{metres / 1000:,.1f} km"


def km_apart(metres: np.ndarray, radius: np.ndarray) -> list[str]:
    """For each point: how far outside it lies, against its radius."""
    return [
        f"{length(m)} away, radius {length(r)}"
        for m, r in zip(metres, radius, strict=True)
    ]


def known_countries(
    codes: np.ndarray, areas: Areas, world: Callable[[], World]
) -> np.ndarray:
    """Where *codes* name a country of the regional or the world reference.

    The world reference is read only when a code is not a regional one.
    """
    known = cells.isin(codes, areas.countries)
    if (~known & (codes != "")).any():
        world_codes = world().countries["iso_a3"].astype(str)
        known |= cells.isin(codes, world_codes)
    return known


def check_places(
    problems: Problems,
    table: Table,
    at: Positions,
    areas: Areas,
    *,
    country_ok: np.ndarray,
    native: bool,
    world: Callable[[], World] = shipped_world,
) -> np.ndarray:
    """Check each position against its stated country and governorate.

    Parameters
    ----------
    problems, table
        Where problems go, and the events table.
    at
        The typed positions.
    areas
        The regional reference areas.
    country_ok
        Where the country cell is a known code (or empty).
    native
        A native catalogue (regional rows held strictly) or an import.
    world
        Gives the world reference (read only when a row needs it).

    Returns
    -------
    For each row, a note on how its position was accepted ("" for most): an
    import near, but outside, its stated country.
    """
    country = table.frame["country"].to_numpy(dtype=str)
    measurable = ~np.isnan(at.lat) & ~np.isnan(at.lon) & ~np.isnan(at.radius)
    reach = (
        at.radius
        + OUTLINE_ACCURACY_M
        + np.where(at.where_prec == UCDP_OVER_WATER, TERRITORIAL_SEA_M, 0.0)
    )
    regional = cells.isin(country, areas.countries) | (country == "")
    strict = measurable & regional & areas.inside_region(at.lon, at.lat) & native
    _regional_countries(problems, table, at, areas, strict, reach)
    admin1_reach = reach if native else np.maximum(reach, IMPORT_TOLERANCE_M)
    _regional_admin1(problems, table, at, areas, measurable, admin1_reach)
    notes = np.full(len(country), "", dtype=object)
    rest = np.flatnonzero(measurable & ~strict & country_ok)
    if rest.size:
        notes[rest] = _world_rows(
            problems, table, at, rest, reach[rest], native=native, world=world()
        )
    return notes


def _regional_countries(
    problems: Problems,
    table: Table,
    at: Positions,
    areas: Areas,
    measurable: np.ndarray,
    reach: np.ndarray,
) -> None:
    """Today's rule: within the radius of the stated (fitted) country."""
    frame = table.frame
    by_country = positions_by(frame["country"])
    for code, shape in areas.countries.items():
        rows = by_country.get(code, _NONE)
        rows = rows[measurable[rows]]
        if rows.size == 0:
            continue
        metres = areas.distance_m(shape, at.lon[rows], at.lat[rows])
        far = metres > reach[rows]
        problems.add(
            table,
            rows[far],
            "country",
            f"the point ({{detail}}) lies outside {code} by more than its "
            "uncertainty radius; expected a point within uncertainty_m of the "
            "stated country (are lat and lon swapped? is it at sea? then set "
            f"where_prec {UCDP_OVER_WATER})",
            details=km_apart(metres[far], at.radius[rows[far]]),
        )
    # Over international waters: not deep inside any country.
    water = measurable & (frame["country"] == "").to_numpy()
    for code, shape in areas.countries.items():
        rows = np.flatnonzero(water)
        if rows.size == 0:
            break
        rows = rows[shapely.contains_xy(shape, at.lon[rows], at.lat[rows])]
        if rows.size == 0:
            continue
        metres = areas.distance_m(shapely.boundary(shape), at.lon[rows], at.lat[rows])
        problems.add(
            table,
            rows[metres > at.radius[rows]],
            "country",
            f"is empty (international waters or airspace), but the point lies "
            f"inside {code}, farther than uncertainty_m from its border; expected "
            f"{code}, or a point over water",
        )
        water[rows] = False


def _regional_admin1(
    problems: Problems,
    table: Table,
    at: Positions,
    areas: Areas,
    measurable: np.ndarray,
    reach: np.ndarray,
) -> None:
    """Governorates, where the regional reference has them."""
    frame = table.frame
    by_country = positions_by(frame["country"])
    by_place = positions_by(frame["country"] + "\x1f" + frame["admin1"])
    for code in sorted({code for code, _ in areas.admin1}):
        names = areas.admin1_names(code)
        rows = by_country.get(code, _NONE)
        rows = rows[pick(frame["admin1"], rows) != ""]
        problems.add(
            table,
            rows[~cells.isin(pick(frame["admin1"], rows), names)],
            "admin1",
            f"'{{value}}' is not a governorate of {code} in the reference data; "
            f"expected one of: {', '.join(names)}",
        )
        for name in names:
            hits = by_place.get(f"{code}\x1f{name}", _NONE)
            hits = hits[measurable[hits]]
            if hits.size == 0:
                continue
            shape = areas.admin1[(code, name)]
            metres = areas.distance_m(shape, at.lon[hits], at.lat[hits])
            far = metres > reach[hits]
            problems.add(
                table,
                hits[far],
                "admin1",
                f"the point ({{detail}}) lies outside {name} by more than its "
                "uncertainty radius; expected the governorate the point is in, "
                "or a point within uncertainty_m of it",
                details=km_apart(metres[far], at.radius[hits[far]]),
            )


def _world_rows(
    problems: Problems,
    table: Table,
    at: Positions,
    rows: np.ndarray,
    reach: np.ndarray,
    *,
    native: bool,
    world: World,
) -> np.ndarray:
    """Judge *rows* against the world outlines; return their notes."""
    frame = table.frame
    stated = frame["country"].to_numpy(dtype=str)[rows]
    tolerance = OUTLINE_ACCURACY_M if native else IMPORT_TOLERANCE_M
    lon, lat = at.lon[rows], at.lat[rows]
    placed = place_positions(
        lon,
        lat,
        pd.Series(stated),
        over_water=at.where_prec[rows] == UCDP_OVER_WATER,
        tolerance_m=tolerance,
        world=world,
    )
    off = placed["off_m"].to_numpy()
    verdict = placed["verdict"].to_numpy(dtype=str)
    ok = cells.isin(verdict, ACCEPTED) | (off <= reach)
    blank = stated == ""
    _unstated(problems, table, at, rows[blank], placed[blank], world)
    refused = ~ok & ~blank
    position = (
        pick(frame["lat"], rows[refused]) + ", " + pick(frame["lon"], rows[refused])
    )
    problems.add(
        table,
        rows[refused],
        "lat",
        "the position {value}: {detail}; expected a position in the stated "
        "country or within uncertainty_m of it",
        values=position,
        details=placed["reason"].to_numpy()[refused],
    )
    return _notes(placed, stated, ok & ~blank & (off > 0), world)


def _unstated(
    problems: Problems,
    table: Table,
    at: Positions,
    rows: np.ndarray,
    placed: pd.DataFrame,
    world: World,
) -> None:
    """No country stated: at sea, or within the radius of a country's border."""
    inside = placed["iso_a3"].to_numpy(dtype=str)
    shapes = world.countries.set_index("iso_a3").geometry
    for code in pd.unique(inside[inside != ""]):  # distinct countries, not rows
        hits = rows[inside == code]
        border = shapely.boundary(shapes[code])
        metres = distance_to_m(border, at.lon[hits], at.lat[hits])
        problems.add(
            table,
            hits[metres > at.radius[hits]],
            "country",
            f"is empty (international waters or airspace), but the point lies "
            f"inside {code}, farther than uncertainty_m from its border; expected "
            f"{code}, or a point over water",
        )


def _notes(
    placed: pd.DataFrame, stated: np.ndarray, near: np.ndarray, world: World
) -> np.ndarray:
    """What an accepted position outside its stated country is said to be."""
    names = world.countries.set_index("iso_a3")["name"]
    stated_name = pd.Series(stated).map(names).fillna(pd.Series(stated))
    km = (placed["off_m"] / 1000).round(1).astype(str)
    sea = pd.Series(np.where(placed["iso_a3"] == "", "at sea, ", ""), dtype=str)
    text = (
        sea.radd("Position accepted ")
        + km
        + " km outside the generalised outline of "
        + stated_name
        + " (near the border or coast)."
    )
    return np.where(near, text.to_numpy(dtype=object), "")
