"""Layer ``events``: every catalogue event, as a point only where its site is known."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from geo.errors import ContradictoryConstraintsError
from geo.shapes import geodesic_discs
from layers.catalogue.model import PRECISION_CLASSES, TIME_PRECISION
from layers.constraints import constraint_regions, disc_name, regional_areas
from layers.params import LayerInputs, LayerParams

#: Precision classes whose site is known to its radius: a named town or
#: facility, or better. Every other event is exported as an area.
SITE_CLASSES = ("P1", "P2")
#: ``geometry_kind`` values: a point where the site is known to its radius, an
#: area (zone or uncertainty disc) everywhere else.
SITE, AREA = "site", "area"
#: shapely type ids: a geometry collection, and (multi)polygons.
_COLLECTION, _POLYGONAL = 7, (3, 6)


def describe_precision(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``precision`` and ``time_precision_text``, the codes in words (new frame)."""
    out = frame.copy()
    words = {k: f"{k}: {v[0]}" for k, v in PRECISION_CLASSES.items()}
    out["precision"] = out["precision_class"].map(words)
    out["time_precision_text"] = out["time_precision"].astype(int).map(TIME_PRECISION)
    return out


def _g(values: pd.Series) -> np.ndarray:
    """Numbers as Python's ``{:g}`` writes them, for a whole column at once."""
    return np.char.mod("%g", values.to_numpy(dtype=float))


def _site_derivations(events: pd.DataFrame) -> pd.Series:
    words: pd.Series = (
        "Point: the published coordinate of "
        + events["location"].astype(str)
        + " ("
        + _g(events["lat"])
        + ", "
        + _g(events["lon"])
        + "); the event lies "
        "within " + _g(events["uncertainty_m"] / 1000) + " km of it."
    )
    return words


def _disc_derivations(events: pd.DataFrame) -> pd.Series:
    words: pd.Series = (
        "Geodesic disc of " + _g(events["uncertainty_m"] / 1000) + " km around the "
        "anchor ("
        + events["location"].astype(str)
        + ", "
        + _g(events["lat"])
        + ", "
        + _g(events["lon"])
        + "); the site is somewhere inside and its "
        "position is not known."
    )
    return words


def _polygonal(geometries: np.ndarray) -> np.ndarray:
    """Keep only the areas of cut discs (a cut along an edge can leave lines)."""
    out = np.asarray(geometries, dtype=object)
    mixed = np.flatnonzero(shapely.get_type_id(out) == _COLLECTION)
    for i in mixed:  # rare: only discs cut exactly along a constraint's edge
        parts = shapely.get_parts(out[i])
        out[i] = shapely.union_all(
            parts[np.isin(shapely.get_type_id(parts), _POLYGONAL)]
        )
    return out


def _cut_areas(
    events: pd.DataFrame,
    discs: np.ndarray,
    inputs: LayerInputs,
    deps: Mapping[str, gpd.GeoDataFrame],
) -> tuple[np.ndarray, pd.Series]:
    """Each event's disc cut by its constraints, one shared region per cell text.

    A disc wholly inside its region (most of them) is kept as it is; only the
    others are intersected. Returns the geometries and the derivations.

    Raises
    ------
    ContradictoryConstraintsError
        If an event's disc and constraints have no area in common.
    """
    out = discs.copy()
    derivations = pd.Series("", index=events.index, dtype=object)
    texts = events["constraints"].astype(str).str.strip()
    radius_names = pd.Series(
        "within " + _g(events["uncertainty_m"] / 1000) + " km of ", index=events.index
    ) + events["location"].astype(str)
    # Once per distinct (country, constraints): an admin-1 name is the event's
    # country's (world admin-1 names repeat across countries).
    keys = events["country"].astype(str) + "\x1f" + texts
    regional = regional_areas(inputs)
    for key, found in keys.groupby(keys, sort=False).indices.items():
        rows = np.asarray(found, dtype=np.int64)
        country, _, text = str(key).partition("\x1f")
        areas = constraint_regions(
            text, inputs, deps, country=country, regional=regional
        )
        region = shapely.intersection_all(list(areas.values()))
        shapely.prepare(region)
        inside = shapely.contains_properly(region, discs[rows])
        cut = rows[~inside]
        if len(cut):
            out[cut] = _polygonal(shapely.intersection(discs[cut], region))
        empty = shapely.is_empty(out[rows]) | (shapely.area(out[rows]) == 0)
        if empty.any():
            first = events.iloc[rows[np.flatnonzero(empty)[0]]]
            names = [disc_name(float(first["uncertainty_m"]), first["location"])]
            raise ContradictoryConstraintsError(
                f"{first['event_id']}: the constraints "
                f"{', '.join(repr(n) for n in [*names, *areas])} have no area in "
                "common; check its position, radius and constraints"
            )
        derivations.iloc[rows] = (
            "Intersection of: "
            + radius_names.iloc[rows]
            + "; "
            + "; ".join(areas)
            + "."
        )
    return out, derivations


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Every event, as precise as its sources and no more (EPSG:4326).

    An event whose site is known to its radius (P1-P2) is a point. Every other
    event is an area: its strike zone if it has one, else the geodesic disc of
    its uncertainty radius around the anchor, cut by its constraints (country,
    governorate, valley, corridor) when it has any; a province-level event
    (P4, ``admin1:<governorate>`` with a disc that holds the governorate) thus
    becomes its governorate. The anchor is kept in ``lon`` / ``lat`` and
    ``anchor_lon`` / ``anchor_lat``; ``geometry_kind`` says which (``site`` or
    ``area``) and ``derivation`` how the shape was made. Built for all events
    at once: discs, cuts and derivations are vectorised.

    Raises
    ------
    ContradictoryConstraintsError
        If an event's disc and constraints have no area in common.
    """
    events = describe_precision(inputs.catalogue.events)
    site = events["precision_class"].isin(SITE_CLASSES).to_numpy()
    geometries = np.asarray(events.geometry.values, dtype=object).copy()
    derivations = np.full(len(events), "", dtype=object)
    derivations[site] = _site_derivations(events[site]).to_numpy()
    zoned = np.zeros(len(events), dtype=bool)
    if "strike_zones" in deps and len(deps["strike_zones"]):
        zones = deps["strike_zones"].to_crs(WGS84).drop_duplicates("event_id")
        where = pd.Index(zones["event_id"]).get_indexer(events["event_id"])
        zoned = (where >= 0) & ~site
        geometries[zoned] = zones.geometry.to_numpy()[where[zoned]]
        derivations[zoned] = zones["derivation"].astype(str).to_numpy()[where[zoned]]
    rest = np.flatnonzero(~site & ~zoned)
    if len(rest):
        others = events.iloc[rest]
        discs = geodesic_discs(others["lon"], others["lat"], others["uncertainty_m"])
        plain = (others["constraints"].astype(str).str.strip() == "").to_numpy()
        geometries[rest[plain]] = discs[plain]
        derivations[rest[plain]] = _disc_derivations(others[plain]).to_numpy()
        if (~plain).any():
            cut, cut_derivations = _cut_areas(
                others[~plain], discs[~plain], inputs, deps
            )
            geometries[rest[~plain]] = cut
            derivations[rest[~plain]] = cut_derivations.to_numpy()
    out = events.drop(columns=events.geometry.name)
    out["anchor_lon"] = out["lon"]
    out["anchor_lat"] = out["lat"]
    out["geometry_kind"] = np.where(site, SITE, AREA)
    out["derivation"] = derivations
    return gpd.GeoDataFrame(out, geometry=geometries, crs=WGS84)
