"""Map data: layers turned into small, plain payloads the browser draws.

This module puts a view's payload together; the features of each layer are made
in ``layers.map.features`` and the events' columns in
``layers.map.event_columns``. Two kinds of payload. Context layers
(``spec.context``) never change: they are simplified at two resolutions once
and sent as files the browser caches. Every other layer is sent per view as
data (``view_payload``): text stays plain text (the browser sets it with
``textContent``) and is made safe for a script only where it is embedded
(``geo.safe.script_json``). Events are sent as columns of their centre, radius
and class, never as pre-built rings, and above ``MAX_EVENTS`` in view as counts
in H3 hexagons (``layers.map.hexbin``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from layers.map import hexbin
from layers.map.event_columns import EventColumns, columns_data
from layers.map.features import (
    COARSE_TOLERANCE_DEG,
    CONTEXT_TOLERANCE_DEG,
    DATA_DECIMALS,
    ZoneMemo,
    context_collection,
    layer_data,
    layer_features,
)
from layers.registry import LAYERS, LayerSpec

#: Precision classes drawn without a point: only an area is known.
AREA_ONLY = ("P3", "P4", "P5", "P6")
#: Drawn as an area of uncertainty only, hatched or dashed (no pin).
COARSE_AREAS = ("P4", "P5")
#: Country-only events: listed, never drawn.
NOT_DRAWN = ("P6",)
#: Above this many events in view, the map draws counts in H3 hexagons
#: instead (``layers.map.hexbin``).
MAX_EVENTS = 1500


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


def prepare_context(
    layers: Mapping[str, gpd.GeoDataFrame],
) -> dict[str, dict[str, Any]]:
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
    features: Mapping[str, list[dict[str, Any]]]
    events: Mapping[str, EventColumns]
    #: name -> zone fills made so far, by the rows of the group (a memo).
    fills: dict[str, ZoneMemo] = field(default_factory=dict, compare=False)


def prepare_layers(layers: Mapping[str, gpd.GeoDataFrame]) -> PreparedLayers:
    """Prepare every non-context layer once, to be narrowed per view."""
    features: dict[str, list[dict[str, Any]]] = {}
    events: dict[str, EventColumns] = {}
    for spec in LAYERS:
        gdf = layers.get(spec.name)
        if spec.context or gdf is None:
            continue
        if spec.draw == "events":
            events[spec.name] = EventColumns.from_frame(gdf)
        else:
            features[spec.name] = layer_features(gdf.to_crs(WGS84), spec, DATA_DECIMALS)
    return PreparedLayers(layers=dict(layers), features=features, events=events)


def _events_data(
    columns: EventColumns,
    shown: np.ndarray,
    view: MapView | None,
    *,
    limit: int,
    skip_ids: Iterable[str] = (),
) -> tuple[dict[str, Any], str]:
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


def _hexagons(
    columns: EventColumns, index: np.ndarray, view: MapView | None
) -> dict[str, Any]:
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
) -> dict[str, Any]:
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
    # Events with a strike zone are drawn as that zone.
    zone_ids = (
        shown["strike_zones"]["event_id"].tolist() if "strike_zones" in shown else []
    )
    out_layers = []
    status = ""
    for spec in LAYERS:
        gdf = shown.get(spec.name)
        if spec.context or gdf is None or (spec.draw != "events" and len(gdf) == 0):
            continue
        if spec.draw == "events":
            data, status = _shown_events(
                gdf, spec.name, prepared, view, limit=limit, skip_ids=zone_ids
            )
        else:
            data = _shown_features(gdf, spec, prepared)
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


def _shown_events(
    gdf: gpd.GeoDataFrame,
    name: str,
    prepared: PreparedLayers,
    view: MapView | None,
    *,
    limit: int,
    skip_ids: Iterable[str],
) -> tuple[dict[str, Any], str]:
    """The events of *gdf* in view, from their prepared columns where there are."""
    source = prepared.layers.get(name)
    columns = prepared.events.get(name)
    if columns is None or source is None:
        columns, source = EventColumns.from_frame(gdf), gdf
    mask = _shown_mask(columns, gdf, source)
    return _events_data(columns, mask, view, limit=limit, skip_ids=skip_ids)


def _shown_features(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, prepared: PreparedLayers
) -> dict[str, Any]:
    """The features of *gdf*, picked from the prepared ones where it is theirs."""
    cached = None
    if spec.name in prepared.features and _selected_from(
        gdf, prepared.layers.get(spec.name)
    ):
        cached = prepared.features[spec.name]
    memo = None if cached is None else prepared.fills.setdefault(spec.name, {})
    return layer_data(gdf, spec, cached, memo)


def payload_bytes(payload: Mapping[str, object]) -> int:
    """Size of *payload* as compact JSON, in bytes (for the benchmarks)."""
    return len(json.dumps(payload, separators=(",", ":")).encode())
