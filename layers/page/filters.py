"""Apply a view to the built layers: which events, zones and areas it shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import geopandas as gpd
import pandas as pd

from layers.page.playback import Window
from layers.page.view import NO_COUNTRY, ViewState
from layers.strike_areas import dissolve_zones

#: The columns of the events table under the timeline.
TABLE_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "title",
    "sub_event_type",
    "country",
    "location",
    "precision_class",
    "uncertainty_m",
    "confidence",
    "source_ids",
)


def filter_events(events: gpd.GeoDataFrame, state: ViewState) -> gpd.GeoDataFrame:
    """The events *state* lets through (a new frame).

    An event is kept when its date span overlaps the chosen range and its
    sub-event type, country, precision class and confidence are all chosen.
    """
    country = events["country"].where(events["country"] != "", NO_COUNTRY)
    # A time t is on or after day d exactly when t >= d's midnight (vectorised;
    # no date object per event).
    first = pd.Timestamp(state.date_start)
    after_last = pd.Timestamp(state.date_end) + pd.Timedelta(days=1)
    keep = (
        (events["date_end"] >= first)
        & (events["date_start"] < after_last)
        & events["sub_event_type"].isin(state.event_types)
        & country.isin(state.countries)
        & events["precision_class"].isin(state.precision_classes)
        & events["confidence"].isin(state.confidences)
    )
    return events[keep].copy()


def apply_view(
    layers: Mapping[str, gpd.GeoDataFrame], state: ViewState
) -> dict[str, gpd.GeoDataFrame]:
    """The layers as *state* shows them: events, zones and areas filtered.

    Context layers pass through. Strike zones follow the events kept, and the
    per-country strike areas are dissolved again from the zones kept.
    """
    out = dict(layers)
    if "events" in layers:
        out["events"] = filter_events(layers["events"], state)
        kept = set(out["events"]["event_id"])
        if "strike_zones" in layers:
            zones = layers["strike_zones"]
            out["strike_zones"] = zones[zones["event_id"].isin(kept)].copy()
        if "strike_areas" in layers and "strike_zones" in out:
            zones = out["strike_zones"]
            if len(zones) == 0:
                out["strike_areas"] = layers["strike_areas"].iloc[0:0]
            elif len(zones) < len(layers["strike_zones"]):
                out["strike_areas"] = dissolve_zones(zones)
    return out


def events_table(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """The events as the page's table shows them (plain columns, no geometry)."""
    return pd.DataFrame(events[list(TABLE_COLUMNS)])


def frame_layers(
    layers: Mapping[str, gpd.GeoDataFrame], state: ViewState, window: Window
) -> dict[str, gpd.GeoDataFrame]:
    """The layers *state* shows up to the end of *window* (``apply_view``).

    Events that start after the window are dropped, with their zones; the
    strike areas are dissolved again from the zones kept.
    """
    end = min(state.date_end, window.end)
    return apply_view(
        layers, replace(state, date_start=min(state.date_start, end), date_end=end)
    )
