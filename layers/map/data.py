"""Map data: layers turned into small, plain payloads the browser draws.

Two kinds of payload. Context layers (``spec.context``) never change: they are
simplified at two resolutions once and sent as files the browser caches. Every
other layer is sent per view as data (``view_payload``): text stays plain text
(the browser sets it with ``textContent``) and is made safe for a script only
where it is embedded (``geo.safe.script_json``). Events are sent as columns of
their centre, radius and class, never as pre-built rings, and above
``MAX_EVENTS`` in view as counts in H3 hexagons (``layers.map.hexbin``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from layers.catalogue.model import PRECISION_CLASSES
from layers.map import hexbin
from layers.map.style import (
    DEFAULT_EVENT_COLOUR,
    EVENT_COLOURS,
    FIELD_LABELS,
)
from layers.registry import LAYERS, LayerSpec

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
#: Above this many events in view, the map draws counts in H3 hexagons
#: instead (``layers.map.hexbin``).
MAX_EVENTS = 1500
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


def _zone_fills(zones: gpd.GeoDataFrame, memo: dict | None = None) -> list[dict]:
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
                    _rounded(np.asarray([union]), DATA_DECIMALS)[0]
                ),
            }
        )
        if memo is not None:
            memo[key] = out[-1]
    return out


def layer_data(
    gdf: gpd.GeoDataFrame,
    spec: LayerSpec,
    cached: list[dict] | None = None,
    memo: dict | None = None,
) -> dict:
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
        features = _features(gdf.to_crs(WGS84), spec, DATA_DECIMALS)
    if spec.draw == "zones":
        return {
            "features": _collection(features),
            "fill": _collection(_zone_fills(gdf.to_crs(WGS84), memo)),
        }
    return _collection(features)


@dataclass(frozen=True)
class EventColumns:
    """The events as plain columns, ready to send (built once, then selected).

    The tooltip is put together in the browser from these columns and the
    words of ``tip_header`` (so no label or class description repeats per
    event): date, type, class with its meaning, radius in km.
    """

    ids: pd.Index
    lon: np.ndarray
    lat: np.ndarray
    radius: np.ndarray
    klass: np.ndarray
    type_code: np.ndarray
    title: np.ndarray
    date: np.ndarray
    #: The event's own area where it is not the plain disc of its radius (a
    #: disc cut by its constraints, a governorate); None elsewhere. Turned into
    #: GeoJSON only for the events sent one by one.
    shape: np.ndarray
    #: Where the event counts in hexagon counts: its centre, or a point inside
    #: its own area where it has one (``hexbin.AREA_RULE``).
    point_lon: np.ndarray
    point_lat: np.ndarray

    @classmethod
    def from_frame(cls, events: gpd.GeoDataFrame) -> EventColumns:
        """Columns of *events* (lon, lat, uncertainty_m, precision_class ...)."""
        types = list(EVENT_COLOURS)
        fallback = types.index("Other") if "Other" in types else 0
        codes = pd.Index(types).get_indexer(events["sub_event_type"].astype(str))
        dates = pd.to_datetime(events["date_start"]).dt.strftime("%Y-%m-%d")
        shape = _own_areas(events)
        lon = np.round(events["lon"].to_numpy(dtype=float), DATA_DECIMALS)
        lat = np.round(events["lat"].to_numpy(dtype=float), DATA_DECIMALS)
        point_lon, point_lat = _counting_points(lon, lat, shape)
        return cls(
            ids=pd.Index(events["event_id"].astype(str).to_numpy(dtype=object)),
            lon=lon,
            lat=lat,
            radius=np.round(events["uncertainty_m"].to_numpy(dtype=float), 1),
            klass=events["precision_class"].astype(str).to_numpy(dtype=object),
            type_code=np.where(codes < 0, fallback, codes).astype(np.int64),
            title=events["title"].astype(str).to_numpy(dtype=object),
            date=dates.fillna("").to_numpy(dtype=object),
            shape=shape,
            point_lon=point_lon,
            point_lat=point_lat,
        )


def _counting_points(
    lon: np.ndarray, lat: np.ndarray, shape: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Centres, with a point inside its own area for each event that has one."""
    lon, lat = lon.copy(), lat.copy()
    own = np.flatnonzero(pd.notna(shape))
    if len(own):
        points = shapely.point_on_surface(shape[own].astype(object))
        lon[own], lat[own] = shapely.get_x(points), shapely.get_y(points)
    return lon, lat


def _own_areas(events: gpd.GeoDataFrame) -> np.ndarray:
    """Per event, its area geometry (EPSG:4326) where it differs from its disc."""
    out = np.full(len(events), None, dtype=object)
    if not {"geometry_kind", "constraints"} <= set(events.columns):
        return out
    cut = (events["geometry_kind"] == "area") & (
        events["constraints"].fillna("").astype(str).str.strip() != ""
    )
    polygons = events.geom_type.isin(("Polygon", "MultiPolygon"))
    chosen = (cut & polygons).to_numpy()
    if chosen.any():
        out[chosen] = events.geometry.to_crs(WGS84).to_numpy()[chosen]
    return out


#: Metres per degree of latitude (a degree of longitude is never longer).
_METRES_PER_DEGREE = 111_320.0
#: How far simplification may move a drawn area's edge, as a share of its
#: radius: well under the 0.1 % a drawn radius may be off.
SHAPE_TOLERANCE = 0.0005


def _own_shapes(
    geometries: np.ndarray, radii: np.ndarray
) -> tuple[list[int], list[dict]]:
    """The drawn events' own areas, each distinct one once (events share them).

    Returns, per event, the index of its shape in the list (-1: its disc), and
    the shapes as GeoJSON, simplified by at most ``SHAPE_TOLERANCE`` of the
    smallest radius drawn with each.
    """
    chosen = np.flatnonzero(pd.notna(geometries))
    index = np.full(len(geometries), -1, dtype=np.int64)
    if not len(chosen):
        return index.tolist(), []
    keys = pd.Series(shapely.to_wkb(geometries[chosen].astype(object)))
    codes, uniques = pd.factorize(keys)
    index[chosen] = codes
    smallest = pd.Series(radii[chosen]).groupby(codes).min().to_numpy()
    first = pd.Series(np.arange(len(chosen))).groupby(codes).first().to_numpy()
    shapes = shapely.simplify(
        geometries[chosen][first].astype(object),
        SHAPE_TOLERANCE * smallest / _METRES_PER_DEGREE,
    )
    rounded = _rounded(np.asarray(shapes, dtype=object), DATA_DECIMALS)
    return index.tolist(), [shapely.geometry.mapping(g) for g in rounded]


def tip_header() -> dict:
    """What the browser needs to word an event's tooltip as the card does."""
    return {
        "labels": [FIELD_LABELS[f] for f in EVENT_TIP_FIELDS],
        "types": list(EVENT_COLOURS),
        "classes": {
            code: format_value("precision_class", code) for code in PRECISION_CLASSES
        },
    }


@dataclass(frozen=True)
class PreparedLayers:
    """The costly part of the payloads, for the unfiltered layers (cacheable).

    Attributes
    ----------
    layers
        The frames it was made from (a shown frame that *is* one of these, or
        a selection of one by event id, reuses its features).
    features
        name -> features, for layers drawn as features.
    events
        name -> columns, for layers drawn as events.
    """

    layers: Mapping[str, gpd.GeoDataFrame]
    features: Mapping[str, list[dict]]
    events: Mapping[str, EventColumns]
    #: name -> zone fills made so far, by the rows of the group (a memo).
    fills: dict[str, dict] = field(default_factory=dict, compare=False)


def prepare_layers(layers: Mapping[str, gpd.GeoDataFrame]) -> PreparedLayers:
    """Prepare every non-context layer once, to be narrowed per view."""
    features: dict[str, list[dict]] = {}
    events: dict[str, EventColumns] = {}
    for spec in LAYERS:
        gdf = layers.get(spec.name)
        if spec.context or gdf is None:
            continue
        if spec.draw == "events":
            events[spec.name] = EventColumns.from_frame(gdf)
        else:
            features[spec.name] = _features(gdf.to_crs(WGS84), spec, DATA_DECIMALS)
    return PreparedLayers(layers=dict(layers), features=features, events=events)


def _events_data(
    columns: EventColumns,
    shown: np.ndarray,
    view: MapView | None,
    *,
    limit: int,
    skip_ids: Iterable[str] = (),
) -> tuple[dict, str]:
    not_drawn_mask = shown & np.isin(columns.klass, NOT_DRAWN)
    skip = list(skip_ids)
    keep = shown & ~not_drawn_mask
    if skip:
        keep &= ~columns.ids.isin(pd.Index(skip, dtype=object))
    not_drawn = int(not_drawn_mask.sum())
    outside = 0
    drawable = keep.copy()
    if view is not None and int(keep.sum()) > limit:
        south, west, north, east = view.bounds
        inside = (
            (columns.lat >= south)
            & (columns.lat <= north)
            & (columns.lon >= west)
            & (columns.lon <= east)
        )
        outside = int((keep & ~inside).sum())
        keep &= inside
    index = np.flatnonzero(keep)
    cells = None
    status = ""
    if len(index) > limit:
        cells = _hexagons(columns, np.flatnonzero(drawable), view)
        status = (
            f"{len(index):,} events in view drawn as counts per hexagon; "
            "click a hexagon or zoom in to see them one by one. In the counts, "
            f"{hexbin.AREA_RULE}."
        )
        outside = cells["outside"]
        index = index[:0]
    if outside:
        status += f" {outside:,} events outside the view."
    if not_drawn:
        status += f" {not_drawn:,} country-only events (P6) are listed, not drawn."
    data = columns_data(columns, index)
    data["cells"] = cells
    return data, status.strip()


def columns_data(columns: EventColumns, index: np.ndarray) -> dict:
    """The events at positions *index* of *columns*, as the engine draws them."""
    types = list(EVENT_COLOURS)
    shape_index, shapes = _own_shapes(columns.shape[index], columns.radius[index])
    return {
        "colours": [EVENT_COLOURS.get(t, DEFAULT_EVENT_COLOUR) for t in types],
        "id": columns.ids[index].tolist(),
        "title": columns.title[index].tolist(),
        "type": columns.type_code[index].tolist(),
        "pc": columns.klass[index].tolist(),
        "r": columns.radius[index].tolist(),
        "lon": columns.lon[index].tolist(),
        "lat": columns.lat[index].tolist(),
        "date": columns.date[index].tolist(),
        "shape": shape_index,
        "shapes": shapes,
        "tipHeader": tip_header(),
        "cells": None,
    }


def _hexagons(columns: EventColumns, index: np.ndarray, view: MapView | None) -> dict:
    """H3 counts of the events at *index*, over *view* (all of them without)."""
    lon, lat = columns.point_lon[index], columns.point_lat[index]
    if view is None:
        bounds = (
            float(lat.min()),
            float(lon.min()),
            float(lat.max()),
            float(lon.max()),
        )
        view = MapView(bounds=bounds, zoom=5)
    return hexbin.hex_counts(
        lon, lat, columns.type_code[index], bounds=view.bounds, zoom=view.zoom
    )


def _shown_mask(
    columns: EventColumns, gdf: gpd.GeoDataFrame, source: gpd.GeoDataFrame | None
) -> np.ndarray:
    """Which of *columns* (made from *source*) are in *gdf*, as a boolean mask."""
    if source is not None and len(columns.ids) == len(source):
        if gdf is source:
            return np.ones(len(source), dtype=bool)
        positions = source.index.get_indexer(gdf.index)
        if source.index.is_unique and (positions >= 0).all():
            mask = np.zeros(len(source), dtype=bool)
            mask[positions] = True
            return mask
    shown = gdf["event_id"].astype(str).to_numpy(dtype=object)
    return columns.ids.isin(pd.Index(shown, dtype=object))


def _selected_from(gdf: gpd.GeoDataFrame, source: gpd.GeoDataFrame | None) -> bool:
    """Whether *gdf* is *source* or rows of it (so its prepared features apply)."""
    if source is None:
        return False
    if gdf is source:
        return True
    if "event_id" in gdf.columns:
        return bool(gdf.index.isin(source.index).all())
    # A layer rebuilt for the view (strike areas dissolved anew) differs here.
    return (
        len(gdf) == len(source)
        and gdf.index.equals(source.index)
        and bool(
            shapely.equals_exact(
                gdf.geometry.values, source.geometry.values, tolerance=0
            ).all()
        )
    )


def view_payload(
    shown: Mapping[str, gpd.GeoDataFrame],
    *,
    prepared: PreparedLayers | None = None,
    view: MapView | None = None,
    selected: str = "",
    limit: int = MAX_EVENTS,
) -> dict:
    """What the browser draws over the shell for one view.

    Parameters
    ----------
    shown
        The layers as filtered for the view (``layers.page.filters.apply_view``).
    prepared
        :func:`prepare_layers` of the unfiltered layers (cached by the caller);
        without it everything is prepared here.
    view
        The part of the world shown; with more than *limit* drawable events,
        only those inside it are sent, as hexagon counts while still over *limit*.
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
    if prepared is None:
        prepared = prepare_layers(shown)
    zone_ids = (
        shown["strike_zones"]["event_id"].tolist() if "strike_zones" in shown else []
    )
    out_layers = []
    status = ""
    for spec in LAYERS:
        gdf = shown.get(spec.name)
        if spec.context or gdf is None:
            continue
        source = prepared.layers.get(spec.name)
        if spec.draw == "events":
            columns = prepared.events.get(spec.name)
            if columns is None or source is None:
                columns, source = EventColumns.from_frame(gdf), gdf
            # Events with a strike zone are drawn as that zone.
            data, status = _events_data(
                columns,
                _shown_mask(columns, gdf, source),
                view,
                limit=limit,
                skip_ids=zone_ids,
            )
        else:
            if len(gdf) == 0:
                continue
            cached = None
            if spec.name in prepared.features and _selected_from(gdf, source):
                cached = prepared.features[spec.name]
            memo = None if cached is None else prepared.fills.setdefault(spec.name, {})
            data = layer_data(gdf, spec, cached, memo)
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
