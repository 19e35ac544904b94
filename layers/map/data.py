"""Map data: layers turned into small, plain payloads the browser draws.

Two kinds of payload. Context layers (``spec.context``) never change: they are
simplified at two resolutions once and sent as files the browser caches. Every
other layer is sent per view as data (``view_payload``): text stays plain text
(the browser sets it with ``textContent``) and is made safe for a script only
where it is embedded (``geo.safe.script_json``). Events are sent as columns of
their centre, radius and class, never as pre-built rings, and above
``MAX_EVENTS`` in view as counts on a grid.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from layers.map.style import (
    DEFAULT_EVENT_COLOUR,
    EVENT_COLOURS,
    FIELD_LABELS,
)
from layers.registry import LAYERS, LayerSpec
from layers.sources.catalogue import PRECISION_CLASSES

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
#: Precision classes drawn without a point: only an area is known.
AREA_ONLY = ("P3", "P4", "P5", "P6")
#: Drawn as an area of uncertainty only, hatched or dashed (no pin).
COARSE_AREAS = ("P4", "P5")
#: Country-only events: listed, never drawn.
NOT_DRAWN = ("P6",)
#: Above this many events in view, the map draws grid counts instead.
MAX_EVENTS = 1500
#: A grid cell is about this many pixels wide at the reported zoom.
CELL_PIXELS = 48
EVENT_TIP_FIELDS = ("date_start", "sub_event_type", "precision_class", "uncertainty_m")


@dataclass(frozen=True)
class MapView:
    """What part of the world the browser shows.

    Attributes
    ----------
    bounds
        (south, west, north, east) in degrees.
    zoom
        The Leaflet zoom level.
    """

    bounds: tuple[float, float, float, float]
    zoom: int


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
        return f"{float(value) / 1000:g} km"
    if field == "precision_class":
        words = PRECISION_CLASSES.get(str(value), ("",))[0]
        return f"{value}: {words}"
    if field == "area_km2":
        return f"{float(value):,.0f} km²"
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


def _rounded(geometries: np.ndarray, decimals: int) -> np.ndarray:
    return shapely.transform(geometries, lambda xy: np.round(xy, decimals))


def _features(gdf: gpd.GeoDataFrame, spec: LayerSpec, decimals: int) -> list[dict]:
    tip_fields = [f for f in _tip_fields(spec) if f in gdf.columns]
    records = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    geometries = _rounded(gdf.geometry.values, decimals)
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


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def context_collection(
    gdf: gpd.GeoDataFrame, tolerance: float, *, decimals: int = CONTEXT_DECIMALS
) -> dict:
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
    return _collection(
        [
            {
                "type": "Feature",
                "properties": {"name": str(name)},
                "geometry": shapely.geometry.mapping(geometry),
            }
            for name, geometry in zip(
                names, _rounded(np.asarray(geometries), decimals), strict=True
            )
        ]
    )


def prepare_context(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, dict]:
    """The context layers at both resolutions, ``{name: {"fine":..., "coarse":...}}``.

    This is the costly, never-changing part: compute it once and cache it.
    """
    out = {}
    for spec in LAYERS:
        gdf = layers.get(spec.name)
        if not spec.context or gdf is None:
            continue
        out[spec.name] = {
            "fine": context_collection(gdf, CONTEXT_TOLERANCE_DEG),
            "coarse": context_collection(gdf, COARSE_TOLERANCE_DEG),
        }
    return out


def _zone_groups(zones: gpd.GeoDataFrame) -> pd.Series:
    for key in ("group_id", "country"):
        if key in zones.columns:
            return zones[key].fillna("").astype(str)
    return pd.Series([""] * len(zones), index=zones.index)


def _zone_fills(zones: gpd.GeoDataFrame) -> list[dict]:
    """One fill per group of zones, styled by its least precise class."""
    order = list(PRECISION_CLASSES)
    out = []
    for _, group in zones.groupby(_zone_groups(zones), sort=True):
        klass = max(group["precision_class"], key=order.index)
        union = shapely.union_all(group.geometry.values)
        out.append(
            {
                "type": "Feature",
                "properties": {"klass": str(klass)},
                "geometry": shapely.geometry.mapping(
                    _rounded(np.asarray([union]), DATA_DECIMALS)[0]
                ),
            }
        )
    return out


def _layer_data(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> dict:
    gdf_wgs84 = gdf.to_crs(WGS84)
    features = _features(gdf_wgs84, spec, DATA_DECIMALS)
    if spec.draw == "zones":
        return {
            "features": _collection(features),
            "fill": _collection(_zone_fills(gdf_wgs84)),
        }
    return _collection(features)


def _cell_size(zoom: int) -> float:
    return 360.0 / (256 * 2**zoom) * CELL_PIXELS


def _events_data(
    events: gpd.GeoDataFrame,
    view: MapView | None,
    *,
    limit: int,
    skip_ids: Iterable[str] = (),
) -> tuple[dict, str]:
    types = list(EVENT_COLOURS)
    drawable = events[
        ~events["precision_class"].isin(NOT_DRAWN)
        & ~events["event_id"].isin(list(skip_ids))
    ]
    not_drawn = int(events["precision_class"].isin(NOT_DRAWN).sum())
    lon = drawable["lon"].to_numpy(dtype=float)
    lat = drawable["lat"].to_numpy(dtype=float)
    outside = 0
    if view is not None and len(drawable) > limit:
        south, west, north, east = view.bounds
        inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        outside = int((~inside).sum())
        drawable, lon, lat = drawable[inside], lon[inside], lat[inside]
    cells = None
    if len(drawable) > limit:
        zoom = view.zoom if view is not None else 5
        size = _cell_size(zoom)
        cells = _cells(drawable, lon, lat, size, types)
        status = (
            f"{len(drawable):,} events in view drawn as counts per cell; "
            "click a cell or zoom in to see them one by one."
        )
        drawable = drawable.iloc[0:0]
    else:
        status = ""
    if outside:
        status += f" {outside:,} events outside the view."
    if not_drawn:
        status += f" {not_drawn:,} country-only events (P6) are listed, not drawn."
    type_index = {t: i for i, t in enumerate(types)}
    fallback = types.index("Other") if "Other" in types else 0
    records = drawable[
        [
            c
            for c in ("date_start", "sub_event_type", "precision_class")
            if c in drawable
        ]
    ]
    data = {
        "colours": [EVENT_COLOURS.get(t, DEFAULT_EVENT_COLOUR) for t in types],
        "id": drawable["event_id"].astype(str).tolist(),
        "title": drawable["title"].astype(str).tolist(),
        "type": [type_index.get(t, fallback) for t in drawable["sub_event_type"]],
        "pc": drawable["precision_class"].astype(str).tolist(),
        "r": drawable["uncertainty_m"].astype(float).round(1).tolist(),
        "lon": np.round(drawable["lon"].to_numpy(dtype=float), DATA_DECIMALS).tolist(),
        "lat": np.round(drawable["lat"].to_numpy(dtype=float), DATA_DECIMALS).tolist(),
        "tip": [
            [
                [FIELD_LABELS.get(f, f), format_value(f, v)]
                for f, v in zip(records.columns, row, strict=True)
            ]
            + [[FIELD_LABELS["uncertainty_m"], format_value("uncertainty_m", r)]]
            for row, r in zip(
                records.itertuples(index=False),
                drawable["uncertainty_m"],
                strict=True,
            )
        ],
        "cells": cells,
    }
    return data, status.strip()


def _cells(
    events: gpd.GeoDataFrame,
    lon: np.ndarray,
    lat: np.ndarray,
    size: float,
    types: list[str],
) -> dict:
    """Counts of *events* per grid cell of *size* degrees, with the main type."""
    x = np.floor(lon / size).astype(np.int64)
    y = np.floor(lat / size).astype(np.int64)
    type_codes = pd.Categorical(events["sub_event_type"], categories=types).codes
    type_codes = np.where(type_codes < 0, len(types) - 1, type_codes)
    keys = pd.DataFrame({"x": x, "y": y, "t": type_codes})
    per_type = keys.groupby(["x", "y", "t"]).size().rename("n").reset_index()
    per_type = per_type.sort_values("n", ascending=False)
    main = per_type.drop_duplicates(["x", "y"]).set_index(["x", "y"])["t"]
    counts = keys.groupby(["x", "y"]).size()
    main = main.reindex(counts.index)
    return {
        "size": size,
        "x": counts.index.get_level_values("x").tolist(),
        "y": counts.index.get_level_values("y").tolist(),
        "n": counts.to_numpy().tolist(),
        "type": main.to_numpy().tolist(),
    }


def view_payload(
    shown: Mapping[str, gpd.GeoDataFrame],
    *,
    view: MapView | None = None,
    selected: str = "",
    limit: int = MAX_EVENTS,
) -> dict:
    """What the browser draws over the shell for one view.

    Parameters
    ----------
    shown
        The layers as filtered for the view (``layers.page.view.apply_view``).
    view
        The part of the world shown; with more than *limit* drawable events,
        only those inside it are sent, as grid counts while still over *limit*.
    selected
        The event id to highlight.
    limit
        The most events sent one by one.

    Returns
    -------
    A JSON-ready dict: ``layers`` (name, title, kind, style, data) in drawing
    order, ``selected`` and ``status`` (what is aggregated, outside the view
    or not drawn).
    """
    zone_ids = (
        shown["strike_zones"]["event_id"].tolist() if "strike_zones" in shown else []
    )
    out_layers = []
    status = ""
    for spec in LAYERS:
        gdf = shown.get(spec.name)
        if spec.context or gdf is None:
            continue
        if spec.draw == "events":
            # Events with a strike zone are drawn as that zone.
            data, status = _events_data(gdf, view, limit=limit, skip_ids=zone_ids)
        else:
            if len(gdf) == 0:
                continue
            data = _layer_data(gdf, spec)
        out_layers.append(
            {
                "name": spec.name,
                "title": spec.title,
                "kind": spec.draw,
                "style": dict(spec.style),
                "data": data,
            }
        )
    return {"layers": out_layers, "selected": selected, "status": status}


def payload_bytes(payload: Mapping[str, object]) -> int:
    """Size of *payload* as compact JSON, in bytes (for the benchmarks)."""
    return len(json.dumps(payload, separators=(",", ":")).encode())
