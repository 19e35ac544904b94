"""The map's view buttons, from the catalogue loaded.

The shipped catalogue keeps the seed's three views (``layers.map.style.VIEWS``:
"Strike area", "Iraq", "Region"). Any other catalogue gets views of its own
events: "All events", one view per country holding events (named by the
country, most events first, at most ``MAX_COUNTRY_VIEWS``) and "Densest area",
the neighbourhood of the one-degree cell holding the most events, when that is
much smaller than the whole.

Names come from the world reference (Natural Earth's short names), keyed by the
events' checked ISO 3166 alpha-3 codes; they reach the browser inside
``script_json`` and are set as text there. Everything here is vectorised
(group-bys over the event table, no loop per event).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.catalogue.world import shipped_world
from layers.map.style import VIEWS

#: Bounds ((south, west), (north, east)) in degrees, as Leaflet's fitBounds.
Bounds = tuple[tuple[float, float], tuple[float, float]]
#: The views in button order: (label, bounds).
Views = tuple[tuple[str, Bounds], ...]

#: The shipped catalogue's views, unchanged.
SEED_VIEWS: Views = tuple(VIEWS.items())
ALL_EVENTS = "All events"
DENSEST = "Densest area"
#: Buttons for countries at most (the countries with most events).
MAX_COUNTRY_VIEWS = 6
#: Margin around the events' box, as a share of its span on each side.
MARGIN = 0.1
#: Smallest half-span of a view (degrees): one event is shown with about
#: 25 km of its surroundings.
MIN_HALF_SPAN = 0.25
#: Side of the grid cells whose counts find the densest area (degrees).
CELL_DEG = 1.0
#: "Densest area" is offered only when its box covers at most this share of
#: the "All events" box (else it would repeat it).
DENSEST_MAX_SHARE = 0.25


def padded(south: float, west: float, north: float, east: float) -> Bounds:
    """The box (*south*, *west*, *north*, *east*) with its margin, in range.

    Each side gets ``MARGIN`` of the span, and the box is at least
    2 x ``MIN_HALF_SPAN`` degrees each way; latitudes stay within +-85
    (Web Mercator's range), longitudes within +-180.
    """
    half_lat = max((north - south) * (0.5 + MARGIN), MIN_HALF_SPAN)
    half_lon = max((east - west) * (0.5 + MARGIN), MIN_HALF_SPAN)
    mid_lat, mid_lon = (south + north) / 2, (west + east) / 2
    return (
        (
            round(max(mid_lat - half_lat, -85.0), 4),
            round(max(mid_lon - half_lon, -180.0), 4),
        ),
        (
            round(min(mid_lat + half_lat, 85.0), 4),
            round(min(mid_lon + half_lon, 180.0), 4),
        ),
    )


def _box(lat: np.ndarray, lon: np.ndarray) -> Bounds:
    return padded(
        float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max())
    )


def country_views(
    events: gpd.GeoDataFrame, *, names: Mapping[str, str], limit: int
) -> Views:
    """One view per country holding events: most events first, then by name.

    Parameters
    ----------
    events
        The catalogue's events (``country``: ISO 3166 alpha-3 or "").
    names
        Country name by code; a code without a name is shown as it is.
    limit
        Views at most.
    """
    table = pd.DataFrame(
        {
            "country": events["country"].fillna("").astype(str).to_numpy(),
            "lat": events["lat"].to_numpy(float),
            "lon": events["lon"].to_numpy(float),
        }
    )
    table = table[table["country"] != ""]
    if table.empty:
        return ()
    boxes = table.groupby("country").agg(
        n=("lat", "size"),
        south=("lat", "min"),
        north=("lat", "max"),
        west=("lon", "min"),
        east=("lon", "max"),
    )
    boxes["label"] = [names.get(code, code) for code in boxes.index]
    boxes = boxes.sort_values(["n", "label"], ascending=[False, True]).head(limit)
    edges = boxes[["south", "west", "north", "east"]].to_numpy(float)
    return tuple(
        (str(label), padded(*(float(v) for v in box)))
        for label, box in zip(boxes["label"], edges, strict=True)
    )


def densest_view(lat: np.ndarray, lon: np.ndarray) -> Bounds | None:
    """The box of the events around the one-degree cell holding the most.

    The events of that cell and of its eight neighbours, padded; None when
    the cell holds fewer than two events.
    """
    cells = np.stack(
        [np.floor(lat / CELL_DEG), np.floor(lon / CELL_DEG)], axis=1
    ).astype(np.int64)
    unique, counts = np.unique(cells, axis=0, return_counts=True)
    if counts.max() < 2:
        return None
    best = unique[np.argmax(counts)]  # ties: the southernmost, then westernmost
    near = (np.abs(cells - best) <= 1).all(axis=1)
    return _box(lat[near], lon[near])


def _area(bounds: Bounds) -> float:
    (south, west), (north, east) = bounds
    return (north - south) * (east - west)


def catalogue_views(
    events: gpd.GeoDataFrame,
    *,
    names: Mapping[str, str],
    max_countries: int = MAX_COUNTRY_VIEWS,
) -> Views:
    """The view buttons of a catalogue that is not the shipped one.

    "All events" first (the view the map opens on), then one per country
    (:func:`country_views`), then "Densest area" (:func:`densest_view`) when
    it covers at most ``DENSEST_MAX_SHARE`` of "All events" and is not a
    country's view again.
    """
    if events.empty:
        return SEED_VIEWS
    lat, lon = events["lat"].to_numpy(float), events["lon"].to_numpy(float)
    whole = _box(lat, lon)
    out: dict[str, Bounds] = {ALL_EVENTS: whole}
    for label, bounds in country_views(events, names=names, limit=max_countries):
        out.setdefault(label, bounds)
    dense = densest_view(lat, lon)
    if (
        dense is not None
        and dense not in out.values()  # not a country's view again
        and _area(dense) <= DENSEST_MAX_SHARE * _area(whole)
    ):
        out.setdefault(DENSEST, dense)
    return tuple(out.items())


def country_names() -> dict[str, str]:
    """Each world country's short name by its ISO 3166 alpha-3 code."""
    countries = shipped_world().countries
    return dict(
        zip(countries["iso_a3"].astype(str), countries["name"].astype(str), strict=True)
    )


def views_for(events: gpd.GeoDataFrame, *, shipped: bool) -> Views:
    """The map's view buttons: the seed's for the shipped catalogue, else its own."""
    if shipped:
        return SEED_VIEWS
    return catalogue_views(events, names=country_names())


def view_bounds(views: Views, name: str) -> Bounds:
    """The bounds of the view called *name*.

    Raises
    ------
    ValueError
        When *views* has no such view (the message lists those it has).
    """
    found = dict(views)
    if name not in found:
        raise ValueError(f"unknown view '{name}'; expected one of {', '.join(found)}")
    return found[name]
