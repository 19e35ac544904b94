"""Counts of events in H3 hexagons, for views holding too many to draw one by one.

The hexagons are those of the visible bounds plus a margin, at the H3
resolution whose hexagons are about ``HEX_PIXELS`` wide at the zoom; H3 lists
them (``polygon_to_cells``: as many as the view holds, never one per event)
and the events are assigned to them in one vectorised point-in-polygon query
(``shapely.STRtree``), so the cost grows with the events in view and the
screen, not with a loop over events. Each event counts at one point: its
centre when it has a site, or a point inside its own area when only an area is
known (``shapely.point_on_surface``), so an area-only event counts where its
area is, and the map says so.
"""

from __future__ import annotations

import math
from typing import Any

import h3
import numpy as np
import pandas as pd
import shapely

#: A hexagon is about this many pixels across at the zoom it is drawn for.
HEX_PIXELS = 44
#: The view is widened by this share of its size on each side before counting.
MARGIN = 0.5
#: How the map words the way area events are counted.
AREA_RULE = (
    "an event known only as an area counts at a point inside that area "
    "(its own area or disc), not at a guessed site"
)
_EQUATOR_M_PER_PIXEL = 40_075_016.686 / 256
_EDGES_M = np.array([h3.average_hexagon_edge_length(r, unit="m") for r in range(16)])


def resolution_for(zoom: int, lat: float) -> int:
    """The H3 resolution whose hexagons are about ``HEX_PIXELS`` wide at *zoom*."""
    metres_per_pixel = _EQUATOR_M_PER_PIXEL * math.cos(math.radians(lat)) / 2**zoom
    target_edge = HEX_PIXELS / 2 * metres_per_pixel
    return int(np.argmin(np.abs(np.log(_EDGES_M / max(target_edge, 1e-3)))))


def _widened(
    bounds: tuple[float, float, float, float], share: float
) -> tuple[float, float, float, float]:
    south, west, north, east = bounds
    dy, dx = (north - south) * share, (east - west) * share
    return (
        max(south - dy, -85.0),
        max(west - dx, -180.0),
        min(north + dy, 85.0),
        min(east + dx, 180.0),
    )


def _cells_of(bounds: tuple[float, float, float, float], res: int) -> list[str]:
    """H3 cells covering *bounds*, in strips under 90 degrees wide.

    H3 takes the shorter way round the globe for wider polygons.
    """
    south, west, north, east = bounds
    edges = np.linspace(west, east, max(1, math.ceil((east - west) / 90)) + 1)
    cells: set[str] = set()
    for left, right in zip(edges[:-1], edges[1:], strict=True):
        shape = h3.LatLngPoly(
            [(south, left), (south, right), (north, right), (north, left)]
        )
        cells.update(h3.polygon_to_cells(shape, res))
    return sorted(cells)


def hex_counts(
    lon: np.ndarray,
    lat: np.ndarray,
    type_code: np.ndarray,
    *,
    bounds: tuple[float, float, float, float],
    zoom: int,
) -> dict[str, Any]:
    """Events per H3 hexagon over *bounds* plus ``MARGIN``.

    Each hexagon comes with its most common type.

    Parameters
    ----------
    lon, lat
        Each event's counting point (its centre, or a point inside its area).
    type_code
        Index of each event's type in ``style.EVENT_COLOURS``.
    bounds
        (south, west, north, east) shown.
    zoom
        The Leaflet zoom (decides the resolution).

    Returns
    -------
    ``res``, and per hexagon holding events: ``cell`` (H3 index), ``ring``
    ([lat, lon] corners), ``n`` and ``type``; ``outside``: events beyond the
    margin, not counted here; ``rule``: how area events are counted.
    """
    south, west, north, east = _widened(bounds, MARGIN)
    res = resolution_for(zoom, (south + north) / 2)
    # One hexagon's width more, so that every event inside the margin lies in
    # a hexagon whose centre H3 finds inside the polygon asked for.
    pad = 2 * _EDGES_M[res] / 111_320.0
    inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    out: dict[str, Any] = {"res": res, "cell": [], "ring": [], "n": [], "type": []}
    out.update(rule=AREA_RULE, outside=int((~inside).sum()))
    if not inside.any():
        return out
    covering = _cells_of(
        (
            max(south - pad, -85.0),
            max(west - pad, -180.0),
            min(north + pad, 85.0),
            min(east + pad, 180.0),
        ),
        res,
    )
    rings = [h3.cell_to_boundary(c) for c in covering]
    # One polygon per hexagon of the view (some H3 cells have 7 corners).
    hexagons = [shapely.Polygon([(x, y) for y, x in r]) for r in rings]
    tree = shapely.STRtree(hexagons)
    chosen = np.flatnonzero(inside)
    points = shapely.points(lon[chosen], lat[chosen])
    event_at, cell_at = tree.query(points, predicate="intersects")
    # A point on a shared edge touches two hexagons: it counts in the first.
    first = pd.Series(cell_at).groupby(event_at).min()
    keys = pd.DataFrame({"c": first.to_numpy(), "t": type_code[chosen][first.index]})
    per_type = keys.groupby(["c", "t"]).size().rename("n").reset_index()
    per_type = per_type.sort_values("n", ascending=False, kind="stable")
    main = per_type.drop_duplicates("c").set_index("c")["t"]
    counts = keys.groupby("c").size()
    out["cell"] = [covering[i] for i in counts.index]
    out["ring"] = [[list(p) for p in rings[i]] for i in counts.index]
    out["n"] = counts.to_numpy().tolist()
    out["type"] = main.reindex(counts.index).to_numpy().tolist()
    out["outside"] += int(len(chosen) - len(first))
    return out
