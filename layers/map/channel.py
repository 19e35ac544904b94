"""What the map reports back (view, switched-off layers, a pick), checked.

The engine in the browser writes one JSON object under ``build.CHANNEL_KEY`` of
streamlit-folium's returned value. Anything in it may have been tampered with,
so it is read into a typed report and every value is checked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from layers.map.data import MapView

MAX_ZOOM = 18


@dataclass(frozen=True)
class MapReport:
    """The browser's map state.

    Attributes
    ----------
    lat, lon, zoom
        The centre and zoom.
    view
        The bounds and zoom, for choosing what to send.
    hidden
        Layer names switched off in the legend.
    pick
        The event id last picked on the map ("" for none).
    seq
        Counts picks, so picking the same event again is seen as new.
    """

    lat: float
    lon: float
    zoom: int
    view: MapView
    hidden: tuple[str, ...]
    pick: str
    seq: int


def _number(value: object, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    if math.isnan(number) or not low <= number <= high:
        return None
    return number


def read_report(
    value: object, *, layer_names: Iterable[str], event_ids: Iterable[str]
) -> MapReport | None:
    """*value* (the returned channel object) as a report, or None if unusable.

    Unknown layer names and event ids are dropped; a report without a valid
    centre, zoom and bounds is None.
    """
    if not isinstance(value, Mapping):
        return None
    lat = _number(value.get("lat"), -90, 90)
    lon = _number(value.get("lon"), -540, 540)
    zoom = _number(value.get("zoom"), 0, MAX_ZOOM)
    bounds = value.get("bounds")
    if lat is None or lon is None or zoom is None or not isinstance(bounds, list):
        return None
    edges = [_number(b, -540, 540) for b in bounds]
    if len(edges) != 4 or any(e is None for e in edges):
        return None
    south, west, north, east = (float(e) for e in edges)  # type: ignore[arg-type]
    names = set(layer_names)
    hidden = value.get("hidden")
    hidden_names = tuple(
        sorted(
            {h for h in hidden if isinstance(h, str) and h in names}
            if isinstance(hidden, list)
            else set()
        )
    )
    pick = value.get("pick")
    pick = pick if isinstance(pick, str) and pick in set(event_ids) else ""
    seq = value.get("seq")
    seq = int(seq) if isinstance(seq, int) and not isinstance(seq, bool) else 0
    return MapReport(
        lat=lat,
        lon=lon,
        zoom=int(zoom),
        view=MapView(bounds=(south, west, north, east), zoom=int(zoom)),
        hidden=hidden_names,
        pick=pick,
        seq=seq,
    )


#: The map's size assumed before the browser has reported (pixels).
NOMINAL_SIZE = (900, 620)


def view_around(lat: float, lon: float, zoom: int) -> MapView:
    """The bounds a map of ``NOMINAL_SIZE`` shows at (*lat*, *lon*, *zoom*)."""
    width, height = NOMINAL_SIZE
    degrees_per_pixel = 360.0 / (256 * 2**zoom)
    half_lon = width / 2 * degrees_per_pixel
    half_lat = height / 2 * degrees_per_pixel * math.cos(math.radians(lat))
    return MapView(
        bounds=(lat - half_lat, lon - half_lon, lat + half_lat, lon + half_lon),
        zoom=zoom,
    )


def fitted_view(bounds: tuple[tuple[float, float], tuple[float, float]]) -> MapView:
    """The view Leaflet's ``fitBounds`` gives for *bounds* ((s, w), (n, e))."""
    (south, west), (north, east) = bounds
    width, height = NOMINAL_SIZE
    lat = (south + north) / 2
    zoom_x = math.log2(width * 360.0 / (256 * max(east - west, 1e-9)))
    zoom_y = math.log2(
        height * 360.0 / (256 * max(north - south, 1e-9) / math.cos(math.radians(lat)))
    )
    zoom = int(max(0, min(MAX_ZOOM, math.floor(min(zoom_x, zoom_y)))))
    return MapView(bounds=(south, west, north, east), zoom=zoom)


def current_view(
    report: MapReport | None,
    *,
    lat: float | None,
    lon: float | None,
    zoom: int | None,
    start: tuple[tuple[float, float], tuple[float, float]],
) -> MapView:
    """What the browser shows: as reported, else the URL's view, else *start*."""
    if report is not None:
        return report.view
    if lat is not None and lon is not None and zoom is not None:
        return view_around(lat, lon, zoom)
    return fitted_view(start)


def new_pick(report: MapReport | None, last: tuple[str, int] | None) -> str:
    """The event id picked on the map since *last* (pick, seq), or ""."""
    if report is None or not report.pick or (report.pick, report.seq) == last:
        return ""
    return report.pick
