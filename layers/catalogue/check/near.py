"""Rules for ``near:<town> <distance> km`` constraints.

The town must be one of the reference places of the event's country, named
unambiguously (``layers/catalogue/towns.py``), and its disc must meet the
event's own disc of uncertainty: a source that puts an event within 20 km of
Marib cannot be drawn around a point 120 km away with a 10 km radius. The
rules run once per distinct (town, country), and the distances on whole
columns.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.check.events import Parsed
from layers.catalogue.check.places import km_apart
from layers.catalogue.towns import MAX_NEAR_KM, Town, find_town, parse_near

_GEOD = Geod(ellps="WGS84")

#: How a malformed ``near:`` value is told.
NEAR_EXPECTED = (
    "expected near:<town> <distance> km, e.g. near:Marib 20 km, with a distance "
    f"over 0 and up to {MAX_NEAR_KM:g} km"
)


def check_near(
    problems: Problems,
    view: Table,
    constraint: tuple[np.ndarray, np.ndarray],
    event: tuple[np.ndarray, np.ndarray],
    parsed: Parsed,
) -> None:
    """Each ``near:`` names a known town of the event's country its disc meets.

    Parameters
    ----------
    problems, view
        Where to record problems, and the constraint items as a table.
    constraint
        Each item's kind and value.
    event
        Each item's position in the events table, and its event's country.
    parsed
        The events' typed columns (point and radius).
    """
    kind, value = constraint
    positions, country = event
    near = np.flatnonzero(kind == "near")
    if not len(near):
        return
    pairs = {(str(value[i]), str(country[i])) for i in near}
    for text, code in sorted(pairs):
        hits = near[(value[near] == text) & (country[near] == code)]
        parsed_value = parse_near(text)
        if parsed_value is None:
            problems.add(view, hits, "constraints", "'{value}': " + NEAR_EXPECTED)
            continue
        found = find_town(*parsed_value, code) if code else "needs the event's country"
        if isinstance(found, str):
            problems.add(
                view,
                hits,
                "constraints",
                "'{value}' {detail}",
                details=[found] * len(hits),
            )
            continue
        _reach(problems, view, hits, found, parsed, positions)


def _reach(
    problems: Problems,
    view: Table,
    hits: np.ndarray,
    town: Town,
    parsed: Parsed,
    positions: np.ndarray,
) -> None:
    """The town's disc must meet each event's disc of uncertainty."""
    rows = positions[hits]
    lat, lon, radius = parsed.lat[rows], parsed.lon[rows], parsed.radius[rows]
    known = ~(np.isnan(lat) | np.isnan(lon) | np.isnan(radius))
    hits, lat, lon, radius = hits[known], lat[known], lon[known], radius[known]
    if not len(hits):
        return
    _, _, metres = _GEOD.inv(
        np.full_like(lon, town.lon), np.full_like(lat, town.lat), lon, lat
    )
    reach = radius + town.km * 1000.0
    far = metres > reach
    problems.add(
        view,
        hits[far],
        "constraints",
        "'{value}': the event's point lies beyond the reach of its own disc and "
        f"the town's ({town.name} at {town.lat:.4f}, {town.lon:.4f}): "
        "{detail}; expected a town the event's disc meets",
        details=km_apart(metres[far], reach[far]),
    )
