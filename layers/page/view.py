"""The dashboard's view state: defaults, filters, and its round trip through the URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

import geopandas as gpd

from layers.params import CORRIDOR_HALF_WIDTH_KM, VALLEY_HALF_WIDTH_KM
from layers.registry import LAYER_NAMES, LAYERS
from layers.sources.catalogue import CONFIDENCE_GRADES, PRECISION_CLASSES

#: The default time window: from the 2019 Gulf incidents the reporting cites as
#: context (Fujairah 12 May, the Gulf of Oman tankers, the RQ-4, Abqaiq and
#: Khurais) through the escalation to the Iranian missile strikes of January.
DEFAULT_START = date(2019, 5, 1)
DEFAULT_END = date(2020, 1, 31)
#: Label used for events outside any country (international waters/airspace).
NO_COUNTRY = "INTL"
BASEMAPS = ("None", "OpenStreetMap", "Light", "Satellite")
WIDTH_RANGE_KM = (1.0, 100.0)
#: Layers switched off when the map opens (the specs' defaults).
DEFAULT_HIDDEN = tuple(spec.name for spec in LAYERS if not spec.shown)
MAX_ZOOM = 18


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what the dashboard shows (hashable)."""

    date_start: date = DEFAULT_START
    date_end: date = DEFAULT_END
    event_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    precision_classes: tuple[str, ...] = tuple(PRECISION_CLASSES)
    confidences: tuple[str, ...] = CONFIDENCE_GRADES
    valley_km: float = VALLEY_HALF_WIDTH_KM
    corridor_km: float = CORRIDOR_HALF_WIDTH_KM
    basemap: str = "None"
    event: str = ""
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    hidden: tuple[str, ...] = DEFAULT_HIDDEN


@dataclass(frozen=True)
class Options:
    """What the catalogue offers to choose from."""

    event_types: tuple[str, ...]
    countries: tuple[str, ...]
    first_date: date
    last_date: date
    event_ids: tuple[str, ...]


def options_for(events: gpd.GeoDataFrame) -> Options:
    """The choices the catalogue *events* allow."""
    return Options(
        event_types=tuple(sorted(set(events["sub_event_type"]))),
        countries=tuple(sorted({c or NO_COUNTRY for c in events["country"]})),
        first_date=min(events["date_start"]).date(),
        last_date=max(events["date_end"]).date(),
        event_ids=tuple(events["event_id"]),
    )


def default_state(options: Options) -> ViewState:
    """The view a new visitor sees: Oct 2019 - Jan 2020, everything else on."""
    return ViewState(event_types=options.event_types, countries=options.countries)


def filter_events(events: gpd.GeoDataFrame, state: ViewState) -> gpd.GeoDataFrame:
    """The events *state* lets through (a new frame).

    An event is kept when its date span overlaps the chosen range and its
    sub-event type, country, precision class and confidence are all chosen.
    """
    country = events["country"].where(events["country"] != "", NO_COUNTRY)
    keep = (
        (events["date_end"].dt.date >= state.date_start)
        & (events["date_start"].dt.date <= state.date_end)
        & events["sub_event_type"].isin(state.event_types)
        & country.isin(state.countries)
        & events["precision_class"].isin(state.precision_classes)
        & events["confidence"].isin(state.confidences)
    )
    return events[keep].copy()


def _as_list(value: str | list[str]) -> list[str]:
    text = value[-1] if isinstance(value, list) else value
    return [part for part in text.split(",") if part] if text else []


def _pick(name: str, value, allowed: tuple[str, ...], notices: list[str]):
    chosen = _as_list(value)
    bad = [v for v in chosen if v not in allowed]
    if bad:
        notices.append(f"'{name}' has unknown value(s) {', '.join(bad)}; ignored them.")
    return tuple(v for v in allowed if v in chosen)


def parse_query(
    params: Mapping[str, str | list[str]], options: Options
) -> tuple[ViewState, list[str]]:
    """Read a view from URL query parameters, falling back to defaults.

    Parameters
    ----------
    params
        The query parameters (``st.query_params`` as a dict).
    options
        What the catalogue offers.

    Returns
    -------
    The view, and one notice per value that was invalid and replaced.
    """
    state = default_state(options)
    notices: list[str] = []
    changes: dict[str, object] = {}
    for key in ("start", "end"):
        if key in params:
            text = _as_list(params[key])
            try:
                changes[f"date_{key}"] = date.fromisoformat(text[0] if text else "")
            except ValueError:
                notices.append(
                    f"'{key}' should be a date like 2019-12-29; used the default."
                )
    lists = {
        "types": ("event_types", options.event_types),
        "countries": ("countries", options.countries),
        "precision": ("precision_classes", tuple(PRECISION_CLASSES)),
        "confidence": ("confidences", CONFIDENCE_GRADES),
    }
    for key, (attribute, allowed) in lists.items():
        if key in params:
            changes[attribute] = _pick(key, params[key], allowed, notices)
    for key, attribute in (("valley_km", "valley_km"), ("corridor_km", "corridor_km")):
        if key in params:
            text = _as_list(params[key])
            try:
                value = float(text[0])
            except (ValueError, IndexError):
                value = float("nan")
            low, high = WIDTH_RANGE_KM
            if low <= value <= high:
                changes[attribute] = value
            else:
                notices.append(
                    f"'{key}' should be a number of km from {low:g} to {high:g}; "
                    "used the default."
                )
    if "basemap" in params:
        basemap = _as_list(params["basemap"])
        if basemap and basemap[0] in BASEMAPS:
            changes["basemap"] = basemap[0]
        else:
            notices.append(
                f"'basemap' should be one of {', '.join(BASEMAPS)}; used None."
            )
    if "event" in params:
        # One id, taken whole: an id may hold a comma.
        value = params["event"]
        event = value[-1] if isinstance(value, list) else value
        if event and event in options.event_ids:
            changes["event"] = event
        else:
            notices.append("'event' names no event of the catalogue; ignored it.")
    changes.update(_parse_map_view(params, notices))
    state = replace(state, **changes)
    if state.date_end < state.date_start:
        notices.append("'end' was before 'start'; used the default dates.")
        state = replace(state, date_start=DEFAULT_START, date_end=DEFAULT_END)
    return state, notices


def _parse_map_view(
    params: Mapping[str, str | list[str]], notices: list[str]
) -> dict[str, object]:
    """The map's centre, zoom and switched-off layers from the URL."""
    changes: dict[str, object] = {}
    limits = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0), "zoom": (0.0, MAX_ZOOM)}
    values = {}
    for key, (low, high) in limits.items():
        if key in params:
            text = _as_list(params[key])
            try:
                value = float(text[0])
            except (ValueError, IndexError):
                value = float("nan")
            if low <= value <= high:
                values[key] = value
            else:
                notices.append(f"'{key}' should be a number from {low:g} to {high:g}.")
    if set(values) == set(limits):
        changes.update(lat=values["lat"], lon=values["lon"], zoom=int(values["zoom"]))
    elif values:
        notices.append("'lat', 'lon' and 'zoom' go together; used the default view.")
    if "hidden" in params:
        changes["hidden"] = _pick("hidden", params["hidden"], LAYER_NAMES, notices)
    return changes


def to_query(state: ViewState, options: Options) -> dict[str, str]:
    """The query parameters that reproduce *state* (only what differs from default)."""
    default = default_state(options)
    keys = {
        "date_start": "start",
        "date_end": "end",
        "event_types": "types",
        "countries": "countries",
        "precision_classes": "precision",
        "confidences": "confidence",
        "valley_km": "valley_km",
        "corridor_km": "corridor_km",
        "basemap": "basemap",
        "event": "event",
        "lat": "lat",
        "lon": "lon",
        "zoom": "zoom",
        "hidden": "hidden",
    }
    out = {}
    for field in fields(ViewState):
        value = getattr(state, field.name)
        if value == getattr(default, field.name):
            continue
        if isinstance(value, tuple):
            text = ",".join(value)
        elif isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, float):
            text = f"{value:g}"
        else:
            text = str(value)
        out[keys[field.name]] = text
    return out


def apply_view(
    layers: Mapping[str, gpd.GeoDataFrame], state: ViewState
) -> dict[str, gpd.GeoDataFrame]:
    """The layers as *state* shows them: events, zones and areas filtered.

    Context layers pass through. Strike zones follow the events kept, and the
    per-country strike areas are dissolved again from the zones kept.
    """
    from layers.strike_areas import dissolve_zones

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
