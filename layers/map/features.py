"""Map features: layers as plain GeoJSON the browser draws, with their tooltips.

Text stays plain text (the browser sets it with ``textContent``). Context
layers (``spec.context``) are simplified for display at two resolutions;
every other layer's features carry a label, a tooltip, a rank (smaller first
under a click) and the precision class the engine styles them by. Strike zones
add one fill per group, styled by its least precise class.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from layers.catalogue.model import PRECISION_CLASSES
from layers.map.style import FIELD_LABELS
from layers.registry import LayerSpec

#: Zone fills made so far: the index labels of a group's rows -> its fill.
ZoneMemo = dict[tuple[Hashable, ...], dict[str, Any]]

#: Display simplification of context layers, in degrees: the fine level (about
#: 300 m) is under a pixel at the strike-area zoom; the coarse one (about 2 km)
#: is drawn below ``FINE_FROM_ZOOM``, where a pixel is several km.
CONTEXT_TOLERANCE_DEG = 0.003
COARSE_TOLERANCE_DEG = 0.02
FINE_FROM_ZOOM = 7
CONTEXT_DECIMALS = 4
#: Decimals of everything with a stated width or radius: 1e-6 degree is about
#: 0.1 m, well under 0.1 % of the smallest radius (100 m) the classes allow.
DATA_DECIMALS = 6


def format_value(field: str, value: object) -> str:
    """*value* of *field* as the card words it (units, class in words).

    Uncertainty is in km, a precision class comes with its meaning, dates are
    ISO days. Returns plain text (not HTML): the browser sets it as text.
    """
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if field == "uncertainty_m":
        return f"{float(str(value)) / 1000:g} km"
    if field == "precision_class":
        words = PRECISION_CLASSES.get(str(value), ("",))[0]
        return f"{value}: {words}"
    if field == "area_km2":
        return f"{float(str(value)):,.0f} km²"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _tip_fields(spec: LayerSpec) -> tuple[str, ...]:
    # The event's class in words says what "precision" says, once.
    fields = [f for f in spec.tooltip_fields if f not in ("event_id", "title")]
    return tuple("precision_class" if f == "precision" else f for f in fields)


def _label(row: Mapping[str, object], spec: LayerSpec) -> str:
    for key in ("event_id", "name", "crossing", "country"):
        if key in row and row[key]:
            head = str(row[key])
            title = row.get("title")
            return f"{head}: {title}" if title and key == "event_id" else head
    return spec.title


def rounded(geometries: np.ndarray, decimals: int) -> np.ndarray:
    """*geometries* with every coordinate rounded to *decimals*."""
    return shapely.transform(geometries, lambda xy: np.round(xy, decimals))


def layer_features(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, decimals: int
) -> list[dict[str, Any]]:
    """Each feature of *gdf* (EPSG:4326) with its label, tooltip, rank and class."""
    tip_fields = [f for f in _tip_fields(spec) if f in gdf.columns]
    records = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    geometries = rounded(gdf.geometry.values, decimals)
    areas = shapely.area(gdf.geometry.values)
    out = []
    for record, geometry, area in zip(records, geometries, areas, strict=True):
        properties = {
            "id": str(record.get("event_id") or ""),
            "label": _label(record, spec),
            "tip": [
                [FIELD_LABELS.get(f, f), format_value(f, record.get(f))]
                for f in tip_fields
            ],
            # Smaller first in the list of what lies under a click.
            "rank": round(float(area), 8),
        }
        if "precision_class" in record:
            properties["klass"] = str(record["precision_class"])
        out.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": shapely.geometry.mapping(geometry),
            }
        )
    return out


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """*features* as a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": features}


def context_collection(
    gdf: gpd.GeoDataFrame, tolerance: float, *, decimals: int = CONTEXT_DECIMALS
) -> dict[str, Any]:
    """A quiet reference layer, simplified for display (names only).

    Polygons are simplified as a coverage (shared borders stay shared), lines
    one by one. Context layers carry no width or radius, so simplification can
    shift no drawn size.
    """
    gdf_wgs84 = gdf.to_crs(WGS84)
    geometries = gdf_wgs84.geometry.values
    if set(gdf_wgs84.geom_type) <= {"Polygon", "MultiPolygon"}:
        geometries = shapely.coverage_simplify(geometries, tolerance)
    elif not set(gdf_wgs84.geom_type) <= {"Point"}:
        geometries = shapely.simplify(geometries, tolerance)
    names = gdf_wgs84["name"] if "name" in gdf_wgs84 else [""] * len(gdf_wgs84)
    return collection(
        [
            {
                "type": "Feature",
                "properties": {"name": str(name)},
                "geometry": shapely.geometry.mapping(geometry),
            }
            for name, geometry in zip(
                names, rounded(np.asarray(geometries), decimals), strict=True
            )
        ]
    )


def _zone_groups(zones: gpd.GeoDataFrame) -> pd.Series:
    for key in ("group_id", "country"):
        if key in zones.columns:
            groups: pd.Series = zones[key].fillna("").astype(str)
            return groups
    return pd.Series([""] * len(zones), index=zones.index)


def _zone_fills(
    zones: gpd.GeoDataFrame, memo: ZoneMemo | None = None
) -> list[dict[str, Any]]:
    """One fill per group of zones, styled by its least precise class.

    *memo* (rows of one prepared frame -> fill) keeps each union computed once.
    """
    order = list(PRECISION_CLASSES)
    out = []
    for _, group in zones.groupby(_zone_groups(zones), sort=True):
        key = tuple(group.index)
        if memo is not None and key in memo:
            out.append(memo[key])
            continue
        klass = max(group["precision_class"], key=order.index)
        union = shapely.union_all(group.geometry.values)
        out.append(
            {
                "type": "Feature",
                "properties": {"klass": str(klass)},
                "geometry": shapely.geometry.mapping(
                    rounded(np.asarray([union]), DATA_DECIMALS)[0]
                ),
            }
        )
        if memo is not None:
            memo[key] = out[-1]
    return out


def layer_data(
    gdf: gpd.GeoDataFrame,
    spec: LayerSpec,
    cached: list[dict[str, Any]] | None = None,
    memo: ZoneMemo | None = None,
) -> dict[str, Any]:
    """Features of *gdf*, picked from *cached* by event id when given.

    *cached* holds the features of the unfiltered layer *gdf* was selected from;
    *memo* the zone fills made from its rows so far.
    """
    if cached is not None and "event_id" not in gdf.columns:
        features = cached
    elif cached is not None:
        keep = set(gdf["event_id"].astype(str))
        features = [f for f in cached if f["properties"]["id"] in keep]
    else:
        features = layer_features(gdf.to_crs(WGS84), spec, DATA_DECIMALS)
    if spec.draw == "zones":
        return {
            "features": collection(features),
            "fill": collection(_zone_fills(gdf.to_crs(WGS84), memo)),
        }
    return collection(features)
