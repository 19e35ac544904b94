"""Map data: layers turned into light, escaped, rounded GeoJSON, prepared once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from geo.safe import html_text
from geo.shapes import geodesic_disc
from layers.registry import LAYERS

#: Display simplification of context layers, in degrees (about 300 m): finer
#: than a pixel at the strike-area zoom, and it keeps the map payload small.
CONTEXT_TOLERANCE_DEG = 0.003
DISPLAY_DECIMALS = 4
#: Precision classes drawn without a point: only an area is known.
AREA_ONLY = ("P3", "P4", "P5", "P6")


def _escaped(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return None if np.isnan(value) else round(value, 1)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if value is None or value is pd.NA:
        return None
    return html_text(value)


def _round(geometries: np.ndarray) -> np.ndarray:
    return shapely.transform(geometries, lambda xy: np.round(xy, DISPLAY_DECIMALS))


def display_frame(
    gdf: gpd.GeoDataFrame, fields: Iterable[str], *, simplify: bool = False
) -> gpd.GeoDataFrame:
    """A light copy of *gdf* for the map: WGS84, chosen fields, escaped text.

    Parameters
    ----------
    gdf
        A layer.
    fields
        The columns to keep (tooltip fields and styling keys).
    simplify
        Simplify polygons as a coverage (shared edges stay shared) and lines,
        by ``CONTEXT_TOLERANCE_DEG``.

    Returns
    -------
    A new frame in EPSG:4326.
    """
    gdf_wgs84 = gdf.to_crs(WGS84)
    geometries = gdf_wgs84.geometry.values
    if simplify:
        if set(gdf_wgs84.geom_type) <= {"Polygon", "MultiPolygon"}:
            geometries = shapely.coverage_simplify(geometries, CONTEXT_TOLERANCE_DEG)
        else:
            geometries = shapely.simplify(geometries, CONTEXT_TOLERANCE_DEG)
    columns = {
        column: [_escaped(v) for v in gdf_wgs84[column]]
        for column in dict.fromkeys(fields)
        if column in gdf_wgs84.columns
    }
    return gpd.GeoDataFrame(
        columns, geometry=_round(np.asarray(geometries)), crs=WGS84
    ).reset_index(drop=True)


def _collection(frame: gpd.GeoDataFrame) -> dict:
    collection = json.loads(frame.to_json(drop_id=True))
    if len(frame):
        collection["bbox"] = [
            round(float(v), DISPLAY_DECIMALS) for v in frame.total_bounds
        ]
    return collection


def _event_rings(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return events.set_geometry(
        [
            geodesic_disc(lon, lat, radius)
            for lon, lat, radius in zip(
                events["lon"], events["lat"], events["uncertainty_m"], strict=True
            )
        ],
        crs=WGS84,
    )


def prepare_display(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, dict]:
    """Turn layers into the GeoJSON the map draws: light, escaped, rounded.

    Context layers are simplified. Events become two collections: dashed
    uncertainty rings (``events:rings``) for every drawable event, and dots
    (``events:sites``) only where a site is known (P1-P2). Events that have a
    strike zone are drawn as that zone instead. This is the costly step; its
    output can be cached and narrowed with :func:`select_events`.

    Parameters
    ----------
    layers
        Layer name to frame, as built by the registry.

    Returns
    -------
    Collection name to GeoJSON FeatureCollection dict.
    """
    out: dict[str, dict] = {}
    zone_ids = (
        set(layers["strike_zones"]["event_id"]) if "strike_zones" in layers else set()
    )
    for spec in LAYERS:
        gdf = layers.get(spec.name)
        if gdf is None or len(gdf) == 0:
            continue
        if spec.name == "events":
            fields = (*spec.tooltip_fields, "precision_class")
            drawable = gdf[
                (gdf["precision_class"] != "P6") & ~gdf["event_id"].isin(zone_ids)
            ]
            # Events are areas unless their site is known (geometry_kind):
            # only sites are drawn as dots, every event as its ring.
            sites = drawable[
                (drawable["geometry_kind"] == "site")
                & ~drawable["precision_class"].isin(AREA_ONLY)
            ]
            if len(drawable):
                out["events:rings"] = _collection(
                    display_frame(_event_rings(drawable), fields)
                )
            if len(sites):
                out["events:sites"] = _collection(display_frame(sites, fields))
            continue
        keys = ("event_id", "precision_class") if spec.name == "strike_zones" else ()
        out[spec.name] = _collection(
            display_frame(gdf, (*spec.tooltip_fields, *keys), simplify=spec.context)
        )
    return out


def select_events(display: Mapping[str, dict], event_ids: Iterable[str]) -> dict:
    """Keep only the features of *event_ids* in the event-bearing collections.

    Collections whose features carry no ``event_id`` pass through unchanged.
    """
    keep = set(event_ids)
    out = {}
    for name, collection in display.items():
        features = collection["features"]
        if features and "event_id" in features[0]["properties"]:
            features = [f for f in features if f["properties"]["event_id"] in keep]
            collection = {**collection, "features": features}
        out[name] = collection
    return out
