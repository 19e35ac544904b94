"""Counts in H3 hexagons: every event in the view counted once, where it is."""

from __future__ import annotations

import math
from collections import Counter

import h3
import numpy as np
import shapely

from layers.map import hexbin
from layers.map.data import MapView, view_payload
from layers.map.event_columns import EventColumns

VIEW = (33.0, 40.0, 36.0, 45.0)


def _points(n: int = 4000, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(36.0, 49.0, n)
    lat = rng.uniform(30.0, 39.0, n)
    return lon, lat, rng.integers(0, 4, n)


def test_counts_sum_to_the_events_in_the_view_and_its_margin():
    lon, lat, types = _points()
    out = hexbin.hex_counts(lon, lat, types, bounds=VIEW, zoom=7)
    south, west, north, east = VIEW
    dy, dx = (north - south) * hexbin.MARGIN, (east - west) * hexbin.MARGIN
    inside = (
        (lat >= south - dy)
        & (lat <= north + dy)
        & (lon >= west - dx)
        & (lon <= east + dx)
    )
    assert sum(out["n"]) == int(inside.sum())
    assert out["outside"] == int((~inside).sum())
    assert len(set(out["cell"])) == len(out["cell"])


def test_each_event_counts_in_the_hexagon_h3_puts_it_in():
    lon, lat, types = _points(600)
    out = hexbin.hex_counts(lon, lat, types, bounds=VIEW, zoom=7)
    south, west, north, east = hexbin._widened(VIEW, hexbin.MARGIN)
    inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    expected = Counter(
        h3.latlng_to_cell(y, x, out["res"])
        for x, y in zip(lon[inside], lat[inside], strict=True)
    )
    assert dict(zip(out["cell"], out["n"], strict=True)) == dict(expected)


def test_hexagons_are_about_the_stated_width_on_screen():
    for zoom in range(3, 15):
        res = hexbin.resolution_for(zoom, 34.0)
        edge = h3.average_hexagon_edge_length(res, unit="m")
        metres_per_pixel = 40_075_016.686 / 256 * math.cos(math.radians(34)) / 2**zoom
        width_px = 2 * edge / metres_per_pixel
        # Resolutions step by a factor of about 2.65 in edge length.
        assert hexbin.HEX_PIXELS / 1.7 < width_px < hexbin.HEX_PIXELS * 1.7, zoom
    assert hexbin.resolution_for(4, 34.0) < hexbin.resolution_for(10, 34.0)


def test_an_area_only_event_counts_inside_its_area(layers):
    events = layers["events"]
    columns = EventColumns.from_frame(events)
    own = [i for i, shape in enumerate(columns.shape) if shape is not None]
    assert own, "the shipped catalogue has events known only as a cut area"
    points = shapely.points(columns.point_lon[own], columns.point_lat[own])
    assert shapely.contains(np.asarray(list(columns.shape[own])), points).all()


def test_a_crescent_area_counts_inside_not_at_its_centre():
    crescent = (
        shapely.Point(44.0, 34.0)
        .buffer(1.0)
        .difference(shapely.Point(44.4, 34.0).buffer(0.9))
    )
    assert not crescent.contains(crescent.centroid)
    from layers.map.event_columns import _counting_points

    lon, lat = _counting_points(
        np.array([44.0]), np.array([34.0]), np.array([crescent], dtype=object)
    )
    assert crescent.contains(shapely.Point(lon[0], lat[0]))


def test_the_map_says_how_area_events_are_counted(layers):
    payload = view_payload(
        layers, view=MapView(bounds=(20.0, 35.0, 40.0, 60.0), zoom=5), limit=5
    )
    events = next(x for x in payload["layers"] if x["name"] == "events")
    assert events["data"]["cells"]["ring"] and events["data"]["id"] == []
    assert hexbin.AREA_RULE in payload["status"]
