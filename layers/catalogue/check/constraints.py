"""Rules for an event's named constraints: known, resolvable, consistent.

A ``country:`` or ``admin1:`` constraint may name any country or first-order
area: the regional reference's fitted ones first, then the world reference's
(``layers/catalogue/world.py``), read only when a name is not regional.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from layers.catalogue.check import cells
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.check.events import Parsed
from layers.catalogue.check.geography import Areas, reach_m
from layers.catalogue.check.near import check_near
from layers.catalogue.check.places import (
    km_apart,
    pick,
)
from layers.catalogue.model import (
    AREA_WIDE_CLASSES,
    CONSTRAINT_KINDS,
    IMPORT_TOLERANCE_M,
    PRECISION_CLASSES,
)
from layers.catalogue.world import shipped_world, world_area

_SEP = "\x1f"


@lru_cache(maxsize=1)
def _world_names() -> tuple[frozenset[str], frozenset[str]]:
    """World country codes, and ``ISO3 + _SEP + name`` of every admin-1 area."""
    world = shipped_world()
    codes = frozenset(world.countries["iso_a3"].astype(str))
    admin1 = (
        world.admin1["iso_a3"].astype(str) + _SEP + world.admin1["name"].astype(str)
    )
    return codes, frozenset(admin1)


def _in_world_admin1(country: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Where (country, value) names a world admin-1 area of that country."""
    if not len(value):
        return np.zeros(0, dtype=bool)
    joined = (
        pd.Series(country, dtype=object).astype(str)
        + _SEP
        + pd.Series(value, dtype=object).astype(str)
    )
    return cells.isin(joined, _world_names()[1])


def parse_constraints(text: str) -> list[tuple[str, str]]:
    """Parse ``country:SYR; admin1:Dayr Az Zawr; valley`` into (kind, value) pairs.

    Raises
    ------
    ValueError
        If a constraint kind is unknown or lacks its value.
    """
    out = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        kind, _, value = (s.strip() for s in part.partition(":"))
        if kind not in CONSTRAINT_KINDS:
            raise ValueError(
                f"unknown constraint '{part}'; expected country:<ISO3>, "
                "admin1:<governorate>, near:<town> <distance> km, valley or "
                "corridor"
            )
        if kind in ("country", "admin1", "near") and not value:
            raise ValueError(f"constraint '{part}' needs a value, e.g. {kind}:...")
        out.append((kind, value))
    return out


def check_constraints(
    problems: Problems, table: Table, parsed: Parsed, areas: Areas
) -> None:
    """Each constraint is known, resolvable and agrees with the event's place."""
    positions, items = cells.split_items(table.frame["constraints"], ";")
    if not len(items):
        return
    parts = items.str.partition(":")
    kind = parts[0].str.strip().to_numpy()
    value = parts[2].str.strip().to_numpy()
    frame = table.frame
    event_country = pick(frame["country"], positions)
    event_admin1 = pick(frame["admin1"], positions)
    rows = table.rows[positions]
    view = Table(
        table.name, pd.DataFrame({"constraints": items.to_numpy()}), rows, table.columns
    )
    _syntax(problems, view, kind, value)
    _countries(problems, view, kind, value, event_country, areas)
    _admin1(problems, view, (kind, value), (event_country, event_admin1), areas)
    _reach(
        problems,
        view,
        (kind, value),
        (positions, event_country, event_admin1),
        parsed,
        areas,
    )
    check_near(problems, view, (kind, value), (positions, event_country), parsed)
    _area_width(
        problems,
        view,
        (kind, value),
        (positions, event_country, pick(frame["precision_class"], positions)),
        (parsed, areas),
    )


def _syntax(
    problems: Problems, view: Table, kind: np.ndarray, value: np.ndarray
) -> None:
    """A known kind, with a value where it needs one and none where it takes none."""
    unknown = ~cells.isin(kind, CONSTRAINT_KINDS)
    problems.add(
        view,
        unknown,
        "constraints",
        "'{value}' is not a known constraint; expected country:<ISO3>, "
        "admin1:<governorate>, near:<town> <distance> km, valley or corridor, "
        "separated by ';'",
    )
    named = cells.isin(kind, ("country", "admin1", "near"))
    problems.add(
        view,
        named & (value == ""),
        "constraints",
        "'{value}' needs a value; expected country:<ISO3>, admin1:<governorate> "
        "or near:<town> <distance> km",
    )
    bare = cells.isin(kind, ("valley", "corridor")) & (value != "")
    problems.add(
        view,
        bare,
        "constraints",
        "'{value}' takes no value; expected 'valley' or 'corridor' alone",
    )


def _countries(
    problems: Problems,
    view: Table,
    kind: np.ndarray,
    value: np.ndarray,
    event_country: np.ndarray,
    areas: Areas,
) -> None:
    """``country:`` names a known country, the event's own."""
    is_country = (kind == "country") & (value != "")
    known_country = cells.isin(value, areas.countries)
    if (is_country & ~known_country).any():
        known_country |= cells.isin(value, _world_names()[0])
    problems.add(
        view,
        is_country & ~known_country,
        "constraints",
        "'{value}' names no country of the reference data; expected "
        "country:<ISO3>, the ISO 3166 alpha-3 code as Natural Earth gives it "
        "(e.g. country:IRQ, country:YEM)",
    )
    clash = is_country & known_country & (value != event_country)
    problems.add(
        view,
        clash,
        "constraints",
        "'{value}' contradicts the event's country ({detail}); expected the "
        "event's own country",
        details=[c or "empty" for c in event_country[clash]],
    )


def _admin1(
    problems: Problems,
    view: Table,
    constraint: tuple[np.ndarray, np.ndarray],
    event: tuple[np.ndarray, np.ndarray],
    areas: Areas,
) -> None:
    """``admin1:`` names a known governorate of the event's country, its own."""
    kind, value = constraint
    event_country, event_admin1 = event
    is_admin1 = (kind == "admin1") & (value != "")
    names = {name: code for code, name in areas.admin1}
    known_admin1 = cells.isin(value, names)
    owner = pd.Series(value).map(names).fillna("").to_numpy(dtype=object)
    world = is_admin1 & ~known_admin1
    if world.any():  # an area of the event's own country in the world reference
        world[world] = _in_world_admin1(event_country[world], value[world])
        known_admin1 |= world
        owner = np.where(world, event_country, owner)
    problems.add(
        view,
        is_admin1 & ~known_admin1,
        "constraints",
        "'{value}' names no governorate (first-order area) of the event's country "
        "in the reference data; expected admin1:<name> as in "
        "data/reference/admin1.geojson (e.g. admin1:Al-Anbar) or, elsewhere, as "
        "Natural Earth admin-1 names it "
        "(data/reference/world/admin1.parquet)",
    )
    wrong_country = is_admin1 & known_admin1 & (owner != event_country)
    problems.add(
        view,
        wrong_country,
        "constraints",
        "'{value}' is a governorate of {detail}, not of the event's country; "
        "expected a governorate of the event's country",
        details=owner[wrong_country],
    )
    wrong_admin1 = (
        is_admin1
        & known_admin1
        & ~wrong_country
        & (event_admin1 != "")
        & (value != event_admin1)
    )
    problems.add(
        view,
        wrong_admin1,
        "constraints",
        "'{value}' contradicts the event's admin1 ({detail}); expected the "
        "event's own governorate",
        details=event_admin1[wrong_admin1],
    )


def _reach(
    problems: Problems,
    view: Table,
    constraint: tuple[np.ndarray, np.ndarray],
    event: tuple[np.ndarray, np.ndarray, np.ndarray],
    parsed: Parsed,
    areas: Areas,
) -> None:
    """A governorate the event's admin1 does not state must meet its disc."""
    kind, value = constraint
    positions, event_country, event_admin1 = event
    is_admin1 = (kind == "admin1") & (value != "")
    names = {name: code for code, name in areas.admin1}
    known_admin1 = cells.isin(value, names)
    owner = pd.Series(value).map(names).fillna("").to_numpy(dtype=object)
    wrong_country = is_admin1 & known_admin1 & (owner != event_country)
    # A governorate constraint the event's admin1 cell does not state: the disc
    # must still reach it.
    unstated = is_admin1 & known_admin1 & ~wrong_country & (event_admin1 == "")
    lat, lon = parsed.lat[positions], parsed.lon[positions]
    radius = parsed.radius[positions]
    measurable = unstated & ~np.isnan(lat) & ~np.isnan(lon) & ~np.isnan(radius)
    for name in np.unique(value[measurable]):
        hits = np.flatnonzero(measurable & (value == name))
        shape = areas.admin1[(names[name], name)]
        metres = areas.distance_m(shape, lon[hits], lat[hits])
        far = metres > radius[hits]
        problems.add(
            view,
            hits[far],
            "constraints",
            "'{value}' lies beyond the event's uncertainty disc ({detail}); "
            "expected a governorate the disc reaches",
            details=km_apart(metres[far], radius[hits[far]]),
        )


def _named_area(
    kind: str, area: str, country: str, areas: Areas
) -> shapely.Geometry | None:
    """The outline a ``country:`` or ``admin1:`` constraint of *country* names."""
    if kind == "country":
        return world_area(kind, area, country) if area == country else None
    regional = {name: code for code, name in areas.admin1}
    if (regional.get(area), area) in areas.admin1:
        return areas.admin1[(regional[area], area)]
    return world_area(kind, area, country)


def _area_width(
    problems: Problems,
    view: Table,
    constraint: tuple[np.ndarray, np.ndarray],
    event: tuple[np.ndarray, np.ndarray, np.ndarray],
    context: tuple[Parsed, Areas],
) -> None:
    """A province or country wider than its class's bound is as wide as it is, no wider.

    The radius may reach the area's farthest point from the row's anchor, plus
    the import tolerance (a source's stand-in point may lie that far outside
    the generalised outline) and a kilometre of rounding.
    """
    kind, value = constraint
    positions, event_country, klass = event
    parsed, areas = context
    radius = parsed.radius[positions]
    for name, area_kind in AREA_WIDE_CLASSES.items():
        bound = PRECISION_CLASSES[name].max_radius_m
        wide = (klass == name) & (kind == area_kind) & (value != "")
        wide &= ~np.isnan(radius) & (radius > bound)
        wide &= ~np.isnan(parsed.lat[positions]) & ~np.isnan(parsed.lon[positions])
        if not wide.any():
            continue
        for area, country in {
            (v, c) for v, c in zip(value[wide], event_country[wide], strict=True)
        }:
            hits = np.flatnonzero(wide & (value == area) & (event_country == country))
            shape = _named_area(area_kind, area, country, areas)
            if shape is None:
                continue  # named no area of the country: reported by _admin1
            reach = reach_m(
                shape, parsed.lon[positions][hits], parsed.lat[positions][hits]
            )
            allowed = np.maximum(reach + IMPORT_TOLERANCE_M + 1_000.0, bound)
            far = radius[hits] > allowed
            problems.add(
                view,
                hits[far],
                "constraints",
                f"'{{value}}' is narrower than the event's radius for {name} "
                f"({PRECISION_CLASSES[name].meaning}): {{detail}}; expected at "
                f"most the area's reach plus {IMPORT_TOLERANCE_M / 1000:g} km (a "
                "source's point may lie that far outside the outline)",
                details=[
                    f"the area reaches {r / 1000:,.0f} km from the anchor, the "
                    f"radius is {d / 1000:,.0f} km"
                    for r, d in zip(reach[far], radius[hits][far], strict=True)
                ],
            )
