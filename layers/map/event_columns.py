"""Events as plain columns: centre, radius, class, type and own area, sent as data.

Events are never sent as pre-built rings: the browser draws each from its
centre and radius (or its own area, where a constraint cut its disc), and words
its tooltip from these columns and the words of :func:`tip_header`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from layers.catalogue.model import PRECISION_CLASSES
from layers.map.features import DATA_DECIMALS, format_value, rounded
from layers.map.style import DEFAULT_EVENT_COLOUR, EVENT_COLOURS, FIELD_LABELS

EVENT_TIP_FIELDS = ("date_start", "sub_event_type", "precision_class", "uncertainty_m")


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
) -> tuple[list[int], list[dict[str, Any]]]:
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
    kept = rounded(np.asarray(shapes, dtype=object), DATA_DECIMALS)
    return index.tolist(), [shapely.geometry.mapping(g) for g in kept]


def tip_header() -> dict[str, Any]:
    """What the browser needs to word an event's tooltip as the card does."""
    return {
        "labels": [FIELD_LABELS[f] for f in EVENT_TIP_FIELDS],
        "types": list(EVENT_COLOURS),
        "classes": {
            code: format_value("precision_class", code) for code in PRECISION_CLASSES
        },
    }


def columns_data(columns: EventColumns, index: np.ndarray) -> dict[str, Any]:
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
