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
