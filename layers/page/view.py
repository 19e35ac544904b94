"""The dashboard's view state, and the one table that ties it to the URL and widgets.

Each piece of view state has one row in :data:`FIELDS`: its URL key, its widget
key, its default, and how it is read from and written to the URL. Parsing a
link, writing the link, seeding the widgets and reading them back all loop over
that table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import geopandas as gpd

from layers.catalogue.model import CONFIDENCE_GRADES, PRECISION_CLASSES
from layers.page import playback, region
from layers.page.views import SEED_VIEWS, Views, views_for
from layers.params import (
    CORRIDOR_HALF_WIDTH_KM,
    VALLEY_HALF_WIDTH_KM,
    WIDTH_RANGE_KM,
    LayerParams,
)
from layers.registry import LAYER_NAMES, LAYERS

#: The default time window: from the 2019 Gulf incidents the reporting cites as
#: context (Fujairah 12 May, the Gulf of Oman tankers, the RQ-4, Abqaiq and
#: Khurais) through the escalation to the Iranian missile strikes of January,
#: widened to a catalogue's whole span so that no event of an opened or
#: uploaded file starts hidden.
DEFAULT_START = date(2019, 5, 1)
DEFAULT_END = date(2020, 1, 31)

#: Label used for events outside any country (international waters/airspace).
NO_COUNTRY = "INTL"
BASEMAPS = ("None", "OpenStreetMap", "Light", "Satellite")
#: Layers switched off when the map opens (the specs' defaults).
DEFAULT_HIDDEN = tuple(spec.name for spec in LAYERS if not spec.shown)
MAX_ZOOM = 18
STEPS = tuple(playback.STEPS)


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what the dashboard shows (hashable).

    Defaults live in :data:`FIELDS`; build one with :func:`default_state`.
    """

    date_start: date
    date_end: date
    event_types: tuple[str, ...]
    countries: tuple[str, ...]
    precision_classes: tuple[str, ...]
    confidences: tuple[str, ...]
    valley_km: float
    corridor_km: float
    basemap: str
    event: str
    lat: float | None
    lon: float | None
    zoom: int | None
    hidden: tuple[str, ...]
    frame: str
    step: str
    speed: float

    def layer_params(self) -> LayerParams:
        """The widths the layers are built with."""
        return LayerParams(
            valley_half_width_km=self.valley_km, corridor_half_width_km=self.corridor_km
        )


@dataclass(frozen=True)
class Options:
    """What the catalogue offers to choose from."""

    event_types: tuple[str, ...]
    countries: tuple[str, ...]
    first_date: date
    last_date: date
    event_ids: tuple[str, ...]
    #: Where the page opens for a catalogue other than the shipped one (None:
    #: the seed's views).
    home: region.Home | None = None
    #: The map's view buttons (``layers.page.views``).
    views: Views = SEED_VIEWS


def default_dates(options: Options) -> tuple[date, date]:
    """The date range a new view opens on: the default window and all events."""
    if options.home is not None:  # a catalogue of its own: all of its dates
        return options.first_date, options.last_date
    return region.opening_dates(
        options.first_date, options.last_date, seed=(DEFAULT_START, DEFAULT_END)
    )


def options_for(
    events: gpd.GeoDataFrame, *, loaded: region.Loaded | None = None
) -> Options:
    """The choices the catalogue *events* allow (*loaded*: ``region.follows_seed``)."""
    seed = region.follows_seed(events, loaded)
    return Options(
        event_types=tuple(sorted(set(events["sub_event_type"]))),
        countries=tuple(sorted({c or NO_COUNTRY for c in events["country"]})),
        first_date=min(events["date_start"]).date(),
        last_date=max(events["date_end"]).date(),
        event_ids=tuple(events["event_id"]),
        home=None if seed else region.home_view(events),
        views=views_for(events, shipped=seed),
    )


#: A parser takes the URL text, the URL key and the options; it returns the
#: value (None: keep the default) and a notice for the user (None: all well).
Parser = Callable[[str, str, Options], tuple[object, str | None]]


@dataclass(frozen=True)
class Field:
    """One piece of view state: where it lives in the URL and the page."""

    name: str
    url_key: str
    widget_key: str | None
    default: Callable[[Options], object]
    parse: Parser
    label: str = ""
    help: str | None = None


def _date(text: str, key: str, options: Options) -> tuple[object, str | None]:
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, f"'{key}' should be a date like 2019-12-29; used the default."


def _choices(text: str, key: str, options: Options) -> tuple[object, str | None]:
    name = next(f.name for f in FIELDS if f.url_key == key)
    allowed = CHOICES[name](options)
    chosen = [part for part in text.split(",") if part]
    bad = [value for value in chosen if value not in allowed]
    kept = tuple(v for v in allowed if v in chosen)
    if bad and not kept:  # nothing usable: the default, not an empty filter
        return (
            None,
            f"'{key}' has only unknown value(s) {', '.join(bad)}; used the default.",
        )
    notice = f"'{key}' has unknown value(s) {', '.join(bad)}; ignored them."
    return kept, notice if bad else None


def _number(low: float, high: float, *, whole: bool = False) -> Parser:
    def parse(text: str, key: str, options: Options) -> tuple[object, str | None]:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if low <= value <= high:
            return (int(value) if whole else value), None
        return None, f"'{key}' should be a number from {low:g} to {high:g}."

    return parse


def _km(text: str, key: str, options: Options) -> tuple[object, str | None]:
    value, notice = _number(*WIDTH_RANGE_KM)(text, key, options)
    return value, notice and f"{notice[:-1]} (km); used the default."


def _one_of(allowed: tuple[str, ...]) -> Parser:
    def parse(text: str, key: str, options: Options) -> tuple[object, str | None]:
        if text in allowed:
            return text, None
        return None, f"'{key}' should be one of {', '.join(allowed)}; used the default."

    return parse


def _event(text: str, key: str, options: Options) -> tuple[object, str | None]:
    if text in options.event_ids:
        return text, None
    return None, f"'{key}' names no event of the catalogue; ignored it."


#: What each multiple-choice piece may hold, in display order.
CHOICES: dict[str, Callable[[Options], tuple[str, ...]]] = {
    "event_types": lambda o: o.event_types,
    "countries": lambda o: o.countries,
    "precision_classes": lambda o: tuple(PRECISION_CLASSES),
    "confidences": lambda o: CONFIDENCE_GRADES,
    "hidden": lambda o: LAYER_NAMES,
}

#: The one table: view state <-> URL key <-> widget key <-> default.
FIELDS: tuple[Field, ...] = (
    Field(
        "date_start",
        "start",
        "dates",
        lambda o: default_dates(o)[0],
        _date,
        "Date range",
    ),
    Field(
        "date_end", "end", "dates", lambda o: default_dates(o)[1], _date, "Date range"
    ),
    Field(
        "event_types", "types", "types", CHOICES["event_types"], _choices, "Event types"
    ),
    Field(
        "countries",
        "countries",
        "countries",
        CHOICES["countries"],
        _choices,
        "Countries",
    ),
    Field(
        "precision_classes",
        "precision",
        "precision",
        CHOICES["precision_classes"],
        _choices,
        "Precision classes",
        "P1 exact site ... P6 country only (see the map legend).",
    ),
    Field(
        "confidences",
        "confidence",
        "confidence",
        CHOICES["confidences"],
        _choices,
        "Confidence",
    ),
    Field(
        "valley_km",
        "valley_km",
        "valley_km",
        lambda o: VALLEY_HALF_WIDTH_KM,
        _km,
        "Euphrates valley half-width W (km)",
    ),
    Field(
        "corridor_km",
        "corridor_km",
        "corridor_km",
        lambda o: CORRIDOR_HALF_WIDTH_KM,
        _km,
        "Border corridor half-width D (km)",
    ),
    Field(
        "basemap",
        "basemap",
        "basemap",
        lambda o: "None",
        _one_of(BASEMAPS),
        "Basemap",
        "None needs no network: countries, governorates and the river are drawn "
        "from the shipped data. The others load tiles from the internet.",
    ),
    Field("event", "event", "event", lambda o: "", _event),
    # The map's own view: reported by the map, no widget of the page.
    Field("lat", "lat", None, lambda o: o.home and o.home.lat, _number(-90.0, 90.0)),
    Field("lon", "lon", None, lambda o: o.home and o.home.lon, _number(-180.0, 180.0)),
    Field(
        "zoom",
        "zoom",
        None,
        lambda o: o.home and o.home.zoom,
        _number(0, MAX_ZOOM, whole=True),
    ),
    Field("hidden", "hidden", None, lambda o: DEFAULT_HIDDEN, _choices),
    # Time playback (layers/page/playback.py): the frame's window, its length
    # and the seconds per frame.
    Field("frame", "frame", None, lambda o: "", playback.frame_text),
    Field("step", "step", None, lambda o: playback.DEFAULT_STEP, _one_of(STEPS)),
    Field("speed", "speed", None, lambda o: playback.DEFAULT_SPEED, playback.speed),
)
#: Each row of :data:`FIELDS` by its name.
FIELD: dict[str, Field] = {f.name: f for f in FIELDS}
#: Widget key of each piece of view state that has a widget.
WIDGET_KEYS: dict[str, str] = {f.name: f.widget_key for f in FIELDS if f.widget_key}
#: Pieces read as a comma-separated list; the others are taken whole.
_LISTS = set(CHOICES)
_MAP_VIEW = ("lat", "lon", "zoom")


def default_state(options: Options) -> ViewState:
    """The view a new visitor sees: Oct 2019 - Jan 2020, everything else on."""
    defaults: dict[str, Any] = {f.name: f.default(options) for f in FIELDS}
    return ViewState(**defaults)


def _last(value: str | list[str]) -> str:
    return (value[-1] if value else "") if isinstance(value, list) else value


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
    The view, and one notice per value that was invalid and replaced. Notices
    quote the URL, so they are untrusted text.
    """
    state = default_state(options)
    notices: list[str] = []
    changes: dict[str, Any] = {}
    for field in FIELDS:
        if field.url_key not in params:
            continue
        value, notice = field.parse(
            _last(params[field.url_key]), field.url_key, options
        )
        if notice:
            notices.append(notice)
        if value is not None:
            changes[field.name] = value
    state = replace(state, **changes)
    if state.date_end < state.date_start:
        notices.append("'end' was before 'start'; used the default dates.")
        start, end = default_dates(options)
        state = replace(state, date_start=start, date_end=end)
    given = [key for key in _MAP_VIEW if key in changes]
    if given and len(given) < len(_MAP_VIEW):
        notices.append("'lat', 'lon' and 'zoom' go together; used the default view.")
        state = replace(state, lat=None, lon=None, zoom=None)
    return state, notices


def _format(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def to_query(state: ViewState, options: Options) -> dict[str, str]:
    """The query parameters that reproduce *state* (only what differs from default)."""
    return {
        f.url_key: _format(getattr(state, f.name))
        for f in FIELDS
        if getattr(state, f.name) != f.default(options)
    }


def widget_values(state: ViewState) -> dict[str, object]:
    """The value of each widget key that shows *state* (to seed the widgets)."""
    out: dict[str, object] = {}
    for name, key in WIDGET_KEYS.items():
        value = getattr(state, name)
        out[key] = list(value) if name in _LISTS else value
    out[WIDGET_KEYS["date_start"]] = (state.date_start, state.date_end)
    return out


def state_from_widgets(values: Mapping[str, object], base: ViewState) -> ViewState:
    """The view the widgets *values* (by widget key) show, on top of *base*.

    A date range still being picked (one date so far) shows that day; pieces
    without a widget come from *base*.
    """
    changes: dict[str, Any] = {}
    for name, key in WIDGET_KEYS.items():
        if key not in values or name in ("date_start", "date_end"):
            continue
        value = values[key]
        if name in _LISTS:
            value = tuple(value)  # type: ignore[arg-type]
        elif name in ("valley_km", "corridor_km"):
            value = float(value)  # type: ignore[arg-type]
        changes[name] = value
    dates = values.get(WIDGET_KEYS["date_start"])
    if isinstance(dates, (tuple, list)) and dates:
        changes.update(date_start=dates[0], date_end=dates[-1])
    return replace(base, **changes)


def date_bounds(options: Options, picked: tuple[date, ...]) -> tuple[date, date]:
    """The date picker's first and last day: the catalogue's, or *picked*'s."""
    return min(options.first_date, picked[0]), max(options.last_date, picked[-1])


def sidebar_widgets(
    options: Options, picked: tuple[date, ...]
) -> list[tuple[str, dict[str, Any]]]:
    """The sidebar, in order: (Streamlit element name, its keyword arguments).

    Every widget is keyed by the view table, so its value is the view's.

    Parameters
    ----------
    options
        What the catalogue offers.
    picked
        The dates the date widget holds now (its bounds must include them).
    """
    low, high = date_bounds(options, picked)
    date_field = FIELD["date_start"]
    out: list[tuple[str, dict[str, Any]]] = [
        ("header", {"body": "Filters"}),
        (
            "date_input",
            {
                "label": date_field.label,
                "key": date_field.widget_key,
                "min_value": low,
                "max_value": high,
            },
        ),
    ]
    for name in ("event_types", "countries", "precision_classes", "confidences"):
        field = FIELD[name]
        out.append(
            (
                "multiselect",
                {
                    "label": field.label,
                    "options": CHOICES[name](options),
                    "key": field.widget_key,
                    "help": field.help,
                },
            )
        )
    out.append(("header", {"body": "Geometry"}))
    low_km, high_km = WIDTH_RANGE_KM
    for name in ("valley_km", "corridor_km"):
        field = FIELD[name]
        out.append(
            (
                "slider",
                {
                    "label": field.label,
                    "min_value": low_km,
                    "max_value": high_km,
                    "step": 1.0,
                    "key": field.widget_key,
                },
            )
        )
    field = FIELD["basemap"]
    out.append(
        (
            "radio",
            {
                "label": field.label,
                "options": BASEMAPS,
                "key": field.widget_key,
                "help": field.help,
            },
        )
    )
    return out


def map_start(state: ViewState) -> dict[str, Any]:
    """The map view a link asked for: ``lat``, ``lon`` and ``zoom`` (or None)."""
    return {"lat": state.lat, "lon": state.lon, "zoom": state.zoom}


def map_centre(state: ViewState) -> dict[str, Any]:
    """``center`` and ``zoom`` for the map component: the link's, or none."""
    if state.zoom is None:
        return {"center": None, "zoom": None}
    return {"center": (state.lat, state.lon), "zoom": state.zoom}


def with_map_report(state: ViewState, report: Any) -> ViewState:
    """*state* with the centre, zoom and switched-off layers the map reported.

    *report* is ``layers.map.channel.read_report``'s answer (None: no report).
    """
    if report is None:
        return state
    return replace(
        state, lat=report.lat, lon=report.lon, zoom=report.zoom, hidden=report.hidden
    )
